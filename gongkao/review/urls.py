from django.urls import path

from gongkao.review.views import appeals, batches, chain, office

app_name = "review"
urlpatterns = [
    # Appeals (复核): the applicant's page, the office's list, the document.
    path("apply/appeal/", appeals.appeal, name="appeal"),
    path("appeals/<int:assignment_id>/", appeals.appeal_list, name="appeals"),
    path("appeals/file/<int:pk>/", appeals.appeal_file, name="appeal_file"),
    # The review chain: <assignment_id> is the reviewer's own role assignment.
    path("review/<int:assignment_id>/", chain.queue, name="queue"),
    path("review/<int:assignment_id>/export.xlsx", chain.export, name="queue_export"),
    path("review/<int:assignment_id>/bulk/", chain.bulk, name="bulk"),
    path("review/<int:assignment_id>/<int:pk>/", chain.review_page, name="review"),
    path(
        "review/<int:assignment_id>/<int:pk>/reveal/<str:field>/",
        chain.reveal,
        name="reveal",
    ),
    path(
        "review/<int:assignment_id>/<int:pk>/not-qualified/",
        chain.not_qualified,
        name="not_qualified",
    ),
    path(
        "review/<int:assignment_id>/<int:pk>/deferred/",
        chain.reject_deferred,
        name="reject_deferred",
    ),
    path("batches/<int:assignment_id>/", batches.batch_list, name="batches"),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/",
        batches.batch_detail,
        name="batch",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/roster-<str:kind>.pdf",
        batches.roster_pdf,
        name="roster",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/printed/",
        batches.mark_printed,
        name="mark_printed",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/scans/",
        batches.upload_scan,
        name="upload_scan",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/scans/<int:scan_id>/",
        batches.scan_file,
        name="scan",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/list/",
        batches.send_list,
        name="send_list",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/stamp/", batches.stamp, name="stamp"
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/onsite/<int:pk>/",
        batches.onsite,
        name="onsite",
    ),
    path(
        "batches/<int:assignment_id>/<int:batch_id>/complete/",
        batches.complete,
        name="complete",
    ),
    path(
        "office/<int:assignment_id>/extensions/",
        office.office_extensions,
        name="office_extensions",
    ),
    path("office/<int:assignment_id>/dashboard/", office.dashboard, name="dashboard"),
    path(
        "office/<int:assignment_id>/dashboard.xlsx",
        office.dashboard_export,
        name="dashboard_export",
    ),
    path("office/<int:assignment_id>/circular/", office.circular, name="circular"),
    path(
        "office/<int:assignment_id>/summary.xlsx",
        office.summary_export,
        name="summary_export",
    ),
]
