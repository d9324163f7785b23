from django.urls import path

from gongkao.certificates import stats_views, views

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
    path(
        "certificates/<int:assignment_id>/archives/",
        views.archives_page,
        name="archives",
    ),
    path(
        "certificates/<int:assignment_id>/archives/<int:pk>.pdf",
        views.archive_pdf,
        name="archive_pdf",
    ),
    path(
        "certificates/<int:assignment_id>/retention/",
        views.retention_page,
        name="retention",
    ),
    path(
        "certificates/<int:assignment_id>/stats/",
        stats_views.campaign_stats,
        name="stats",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
]
