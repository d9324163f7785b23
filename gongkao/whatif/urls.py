from django.urls import path

from gongkao.whatif import views

app_name = "whatif"
urlpatterns = [
    # <assignment_id> is the office administrator's own role assignment.
    path("policies/<int:assignment_id>/whatif/", views.whatif_list, name="list"),
    path("policies/<int:assignment_id>/whatif/<int:pk>/", views.whatif_run, name="run"),
    path(
        "policies/<int:assignment_id>/whatif/<int:pk>/export.xlsx",
        views.whatif_export,
        name="export",
    ),
]
