from django.urls import path

from gongkao.policies import views

app_name = "policies"
urlpatterns = [
    # <assignment_id> is the office administrator's own role assignment.
    path("policies/<int:assignment_id>/", views.policy_list, name="list"),
    path(
        "policies/<int:assignment_id>/copy/<slug:policy_id>/",
        views.policy_copy,
        name="copy",
    ),
    path("policies/<int:assignment_id>/<int:pk>/edit/", views.policy_edit, name="edit"),
    path(
        "policies/<int:assignment_id>/download/<slug:policy_id>.toml",
        views.policy_download,
        name="download",
    ),
]
