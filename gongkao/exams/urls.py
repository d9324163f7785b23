from django.urls import path

from gongkao.exams import door, training_views, views

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
    path(
        "office/<int:assignment_id>/exam-plan/exemptions/",
        views.exemptions,
        name="exemptions",
    ),
    path("office/<int:assignment_id>/exam-plan/tickets/", views.issue, name="issue"),
    path(
        "office/<int:assignment_id>/exam-plan/ticket-window/",
        views.ticket_window,
        name="ticket_window",
    ),
    path(
        "office/<int:assignment_id>/exam-plan/proctors/",
        views.add_proctor,
        name="add_proctor",
    ),
    path(
        "office/<int:assignment_id>/exam-plan/sittings/<int:sitting_id>/rooms/<int:room_id>/<str:kind>.pdf",
        views.room_pdf,
        name="room_pdf",
    ),
    path("unit/<int:assignment_id>/tickets/", views.unit_tickets, name="unit_tickets"),
    path(
        "office/<int:assignment_id>/training/", training_views.classes, name="training"
    ),
    path(
        "office/<int:assignment_id>/training/<int:pk>/",
        training_views.training_class,
        name="training_class",
    ),
    path(
        "unit/<int:assignment_id>/training/",
        training_views.unit_training,
        name="unit_training",
    ),
    path("apply/training/", training_views.my_training, name="my_training"),
    path("apply/tickets/", views.my_tickets, name="my_tickets"),
    path("proctor/", door.duties, name="duties"),
    path("proctor/<int:duty_id>/", door.door, name="door"),
    path("proctor/<int:duty_id>/scan/", door.scan, name="scan"),
    path("proctor/<int:duty_id>/seats/<int:seat_id>/admit/", door.admit, name="admit"),
    path("proctor/<int:duty_id>/seats/<int:seat_id>/photo/", door.photo, name="photo"),
    path("proctor/<int:duty_id>/close/", door.close, name="close"),
    path("proctor/<int:duty_id>/<str:kind>.pdf", door.sheet, name="sheet"),
    path("apply/tickets/<int:pk>.pdf", views.my_ticket_pdf, name="my_ticket_pdf"),
    path("apply/tickets/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "office/<int:assignment_id>/exam-plan/sittings/<int:sitting_id>/rooms/<int:room_id>/",
        views.room,
        name="room",
    ),
]
