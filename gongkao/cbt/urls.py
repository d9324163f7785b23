from django.urls import path

from gongkao.cbt import console, office, practice, views

app_name = "cbt"
urlpatterns = [
    path("cbt/", views.login, name="login"),
    path("cbt/exam/", views.exam, name="exam"),
    path("cbt/state/", views.state, name="state"),
    path("cbt/go/", views.go, name="go"),
    path("cbt/paper/<int:attempt_id>/", views.paper, name="paper"),
    path("cbt/answer/", views.answer, name="answer"),
    path("cbt/submit/", views.submit, name="submit"),
    path("cbt/photo/", views.photo, name="photo"),
    path("cbt/logout/", views.logout, name="logout"),
    path("practice/", practice.start, name="practice"),
    path("practice/state/", practice.state, name="practice_state"),
    path("practice/paper/<int:attempt_id>/", practice.paper, name="practice_paper"),
    path("practice/answer/", practice.answer, name="practice_answer"),
    path("practice/submit/", practice.submit, name="practice_submit"),
    path("proctor/<int:duty_id>/console/", console.console, name="console"),
    path(
        "office/<int:assignment_id>/exam-results/<int:sitting_id>/",
        office.results,
        name="results",
    ),
    path(
        "office/<int:assignment_id>/exam-rooms/<int:room_id>/access/",
        office.room_access,
        name="room_access",
    ),
    path(
        "office/<int:assignment_id>/exam-results/<int:sitting_id>/analysis.xlsx",
        office.analysis_xlsx,
        name="analysis_xlsx",
    ),
    path(
        "proctor/<int:duty_id>/console/report.pdf",
        console.room_report,
        name="room_report",
    ),
    path(
        "proctor/<int:duty_id>/console/room/<str:action>/",
        console.room_action,
        name="room_action",
    ),
    path(
        "proctor/<int:duty_id>/console/seats/<int:seat_id>/<str:action>/",
        console.seat_action,
        name="seat_action",
    ),
]
