from django.urls import path

from gongkao.applications.views import applicant, files

app_name = "applications"
urlpatterns = [
    path("apply/", applicant.overview, name="overview"),
    path("apply/basic/", applicant.basic, name="basic"),
    path("apply/units/", applicant.unit_search, name="unit_search"),
    path("apply/certificates/", applicant.certificates, name="certificates"),
    path("apply/annual-reviews/", applicant.annual_reviews, name="annual_reviews"),
    path("apply/honors/", applicant.honors, name="honors"),
    path(
        "apply/<str:kind>/<int:pk>/delete/", applicant.delete_item, name="delete_item"
    ),
    path("apply/application/", applicant.application_edit, name="application"),
    path("apply/materials/", applicant.materials, name="materials"),
    path("apply/materials/<str:slot>/", applicant.upload, name="upload"),
    path("apply/check/", applicant.check, name="check"),
    path("apply/status/", applicant.status, name="status"),
    path("apply/withdraw/", applicant.withdraw, name="withdraw"),
    path("apply/past/", applicant.past, name="past"),
    path("apply/past/<int:pk>/", applicant.past_detail, name="past_detail"),
    path("notifications/", applicant.notifications, name="notifications"),
    path("files/<int:pk>/", files.material_file, name="file"),
]
