from django.urls import path

from gongkao.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("catalogue/job-types/", views.job_type_list, name="job_types"),
    path(
        "catalogue/job-types/export.<str:fmt>",
        views.job_type_export,
        name="job_types_export",
    ),
    path("catalogue/job-types/import/", views.job_type_import, name="job_types_import"),
    path(
        "office/<int:assignment_id>/campaign/", views.campaign_settings, name="settings"
    ),
    path(
        "office/<int:assignment_id>/campaign/<str:kind>/new/",
        views.portal_item,
        name="portal_new",
    ),
    path(
        "office/<int:assignment_id>/campaign/<str:kind>/<int:pk>/",
        views.portal_item,
        name="portal_item",
    ),
    path(
        "office/<int:assignment_id>/contacts/", views.office_contacts, name="contacts"
    ),
    path("office/<int:assignment_id>/units/", views.units, name="units"),
    path(
        "office/<int:assignment_id>/units/<int:unit_id>/",
        views.unit_edit,
        name="unit_edit",
    ),
]
