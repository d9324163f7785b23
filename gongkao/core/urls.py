from django.urls import path

from gongkao.core import views

app_name = "core"
urlpatterns = [
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/download/", views.job_download, name="job_download"),
]
