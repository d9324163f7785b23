from django.urls import path

from gongkao.exams import views

app_name = "exams"
urlpatterns = [
    path("office/<int:assignment_id>/exam-plan/", views.plan, name="plan"),
    path("office/<int:assignment_id>/exam-plan/<str:kind>/new/", views.add, name="add"),
    path(
        "office/<int:assignment_id>/exam-plan/allocate/",
        views.allocate,
        name="allocate",
    ),
    path("office/<int:assignment_id>/exam-plan/lock/", views.lock, name="lock"),
    path("office/<int:assignment_id>/exam-plan/tickets/", views.issue, name="issue"),
    path(
        "office/<int:assignment_id>/exam-plan/ticket-window/",
        views.ticket_window,
        name="ticket_window",
    ),
    path("apply/tickets/", views.my_tickets, name="my_tickets"),
    path("apply/tickets/<int:pk>.pdf", views.my_ticket_pdf, name="my_ticket_pdf"),
    path(
        "office/<int:assignment_id>/exam-plan/sittings/<int:sitting_id>/rooms/<int:room_id>/",
        views.room,
        name="room",
    ),
]
