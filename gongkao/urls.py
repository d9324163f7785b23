from django.contrib import admin
from django.urls import include, path

from gongkao.accounts import home
from gongkao.portal import views as portal

admin.site.site_header = "工考系统后台管理"
admin.site.site_title = "工考系统"
admin.site.index_title = "考务配置"

urlpatterns = [
    path("", portal.index, name="home"),
    path("", include("gongkao.portal.urls")),
    path("home/<int:assignment_id>/", home.role_home, name="role_home"),
    path(
        "home/<int:assignment_id>/accounts/new/",
        home.issue_account,
        name="issue_account",
    ),
    path(
        "home/<int:assignment_id>/networks/",
        home.trusted_networks,
        name="trusted_networks",
    ),
    path(
        "home/<int:assignment_id>/networks/<int:network_id>/delete/",
        home.remove_trusted_network,
        name="remove_trusted_network",
    ),
    path("accounts/", include("gongkao.accounts.urls")),
    path("", include("gongkao.campaigns.urls")),
    path("jobs/", include("gongkao.core.urls")),
    path("", include("gongkao.policies.urls")),
    path("", include("gongkao.whatif.urls")),
    path("", include("gongkao.applications.urls")),
    path("", include("gongkao.review.urls")),
    path("", include("gongkao.exams.urls")),
    path("", include("gongkao.questions.urls")),
    path("", include("gongkao.cbt.urls")),
    path("", include("gongkao.panels.urls")),
    path("", include("gongkao.results.urls")),
    path("", include("gongkao.certificates.urls")),
    path("admin/", admin.site.urls),
]
