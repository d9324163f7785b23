from django.urls import path

from gongkao.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("job-types/", views.job_type_list, name="job_types"),
    path("job-types/export.<str:fmt>", views.job_type_export, name="job_types_export"),
    path("job-types/import/", views.job_type_import, name="job_types_import"),
]
