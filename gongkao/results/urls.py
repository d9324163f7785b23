from django.urls import path

from gongkao.results import public, views

app_name = "results"
urlpatterns = [
    # The office: <assignment_id> is the staff member's own role assignment.
    path("results/<int:assignment_id>/", views.overview, name="overview"),
    path(
        "results/<int:assignment_id>/release/<int:sitting_id>/",
        views.release,
        name="release",
    ),
    path("results/<int:assignment_id>/scores/", views.scores, name="scores"),
    path("results/<int:assignment_id>/import/", views.import_scores, name="import"),
    path("results/<int:assignment_id>/rechecks/", views.rechecks, name="rechecks"),
    path(
        "results/<int:assignment_id>/rechecks/<int:pk>/",
        views.recheck,
        name="recheck",
    ),
    path(
        "results/<int:assignment_id>/publications/",
        views.publications,
        name="publications",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/",
        views.publication,
        name="publication",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/objections/<int:objection_id>/",
        views.answer_objection,
        name="answer_objection",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/withdraw/<int:entry_id>/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/notices.pdf",
        views.notice_pdf,
        name="notices",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/notice-<int:unit_id>.pdf",
        views.notice_pdf,
        name="notice",
    ),
    path(
        "results/<int:assignment_id>/publications/<int:pk>/passers.xlsx",
        views.passers_xlsx,
        name="passers_xlsx",
    ),
    path("results/<int:assignment_id>/settings/", views.settings_page, name="settings"),
    # The candidate.
    path("my/results/", public.mine, name="mine"),
    path("my/results/recheck/<int:score_id>/", public.ask_recheck, name="ask_recheck"),
    # The public.
    path("scores/", public.lookup, name="lookup"),
    path("publicity/", public.publicity, name="publicity"),
    path("publicity/<int:pk>/", public.publicity_page, name="publicity_page"),
    path(
        "publicity/<int:pk>/<int:entry_id>/objection/",
        public.objection,
        name="objection",
    ),
]
