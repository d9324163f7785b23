from django.urls import path

from gongkao.questions import views

app_name = "questions"
urlpatterns = [
    path("bank/<int:assignment_id>/", views.bank, name="bank"),
    path("bank/<int:assignment_id>/import/", views.import_bank, name="import"),
    path("bank/<int:assignment_id>/export/", views.export_bank, name="export"),
    path("bank/<int:assignment_id>/questions/new/", views.question, name="new"),
    path(
        "bank/<int:assignment_id>/questions/<int:question_id>/",
        views.question,
        name="question",
    ),
    path(
        "bank/<int:assignment_id>/questions/<int:question_id>/status/",
        views.question_status,
        name="status",
    ),
    path("bank/<int:assignment_id>/blueprints/", views.blueprints, name="blueprints"),
    path(
        "bank/<int:assignment_id>/blueprints/<int:subject_id>/",
        views.blueprint,
        name="blueprint",
    ),
    path("bank/<int:assignment_id>/papers/", views.sittings, name="sittings"),
    path(
        "bank/<int:assignment_id>/papers/sittings/<int:sitting_id>/build/",
        views.build,
        name="build",
    ),
    path(
        "bank/<int:assignment_id>/papers/sets/<int:set_id>/",
        views.paper_set,
        name="paper_set",
    ),
    path(
        "bank/<int:assignment_id>/papers/<int:paper_id>/",
        views.paper,
        name="paper",
    ),
    path("office/<int:assignment_id>/bank-staff/", views.staff, name="staff"),
    path("exam/papers/<int:paper_id>/", views.candidate_paper, name="candidate_paper"),
]
