from django.urls import path

from gongkao.panels import views

app_name = "panels"
urlpatterns = [
    path("office/<int:assignment_id>/experts/", views.experts, name="experts"),
    path(
        "office/<int:assignment_id>/experts/<int:expert_id>/",
        views.expert_edit,
        name="expert_edit",
    ),
    path(
        "office/<int:assignment_id>/experts/<int:expert_id>/account/",
        views.expert_account,
        name="expert_account",
    ),
    path(
        "office/<int:assignment_id>/experts/import/",
        views.experts_import,
        name="experts_import",
    ),
    path(
        "office/<int:assignment_id>/experts/export/",
        views.experts_export,
        name="experts_export",
    ),
    path("office/<int:assignment_id>/panels/", views.panels, name="panels"),
    path(
        "office/<int:assignment_id>/panels/settings/",
        views.panel_settings,
        name="settings",
    ),
    path(
        "office/<int:assignment_id>/panels/<int:panel_id>/", views.panel, name="panel"
    ),
    path(
        "office/<int:assignment_id>/panels/<int:panel_id>/<str:action>/",
        views.panel_action,
        name="panel_action",
    ),
    path(
        "office/<int:assignment_id>/panels/<int:panel_id>/sessions/<int:session_id>/minutes/",
        views.office_minutes,
        name="office_minutes",
    ),
    path("expert/<int:assignment_id>/", views.my_panels, name="my_panels"),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/",
        views.my_panel,
        name="my_panel",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/close/",
        views.close,
        name="close",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/sessions/<int:session_id>/minutes/",
        views.my_minutes,
        name="my_minutes",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/candidates/<int:candidate_id>/",
        views.dossier,
        name="dossier",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/candidates/<int:candidate_id>/declare/",
        views.declare,
        name="declare",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/candidates/<int:candidate_id>/files/<int:file_id>/",
        views.file_view,
        name="file_view",
    ),
    path(
        "expert/<int:assignment_id>/panels/<int:panel_id>/candidates/<int:candidate_id>/files/<int:file_id>/raw/",
        views.file_raw,
        name="file_raw",
    ),
]
