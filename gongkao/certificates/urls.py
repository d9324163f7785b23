from django.urls import path

from gongkao.certificates import views

app_name = "certificates"
urlpatterns = [
    path("certificates/<int:assignment_id>/", views.overview, name="overview"),
    path(
        "certificates/<int:assignment_id>/<int:pk>.pdf",
        views.certificate_pdf,
        name="pdf",
    ),
    path(
        "certificates/<int:assignment_id>/unit-<int:unit_id>/",
        views.unit_pdf,
        name="unit_pdf",
    ),
    path(
        "certificates/<int:assignment_id>/<int:pk>/<str:action>/",
        views.act,
        name="act",
    ),
    path(
        "certificates/<int:assignment_id>/settings/",
        views.settings_page,
        name="settings",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
]
# Appended (issue #19, the statistics); kept apart so the lines above stay as they were.
from gongkao.certificates import stats_views  # noqa: E402

urlpatterns += [
    path(
        "certificates/<int:assignment_id>/stats/",
        stats_views.campaign_stats,
        name="stats",
    ),
]
