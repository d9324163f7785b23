from django.urls import path

from gongkao.portal import views

app_name = "portal"
urlpatterns = [
    path("portal/<int:pk>/", views.campaign_page, name="campaign"),
    path("portal/<int:pk>/check/", views.quick_check, name="quick_check"),
]
