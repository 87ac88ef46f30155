from django.urls import path

from .views import closing, excel, jobs, ledger, preview, recompute, results, standards, year_turn

app_name = "ratings"

urlpatterns = [
    path("ledger/", ledger.ledger_grid, name="ledger_grid"),
    path("ledger/template/", excel.template_download, name="ledger_template_download"),
    path("ledger/upload/", excel.upload, name="ledger_upload"),
    path("ledger/cell/", ledger.ledger_cell, name="ledger_cell"),
    path("ledger/submit/", ledger.ledger_submit, name="ledger_submit"),
    path("ledger/village/<str:code>/", ledger.ledger_village, name="ledger_village"),
    path("ledger/returned/", ledger.ledger_returned, name="ledger_returned"),
    path("ledger/windows/", ledger.ledger_windows, name="ledger_windows"),
    path("entries/<int:pk>/", ledger.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/evidence/<int:evidence_id>/", ledger.evidence_download, name="evidence_download"),
    path("review/", ledger.review_queue, name="review_queue"),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/preview/", standards.standard_detail, name="standard_preview"),
    path("standards/<int:pk>/copy/", standards.standard_copy, name="standard_copy"),
    path("standards/<int:pk>/publish/", standards.standard_publish, name="standard_publish"),
    path("standards/<int:pk>/settings/", standards.standard_settings, name="standard_settings"),
    path("standards/<int:pk>/impact/", preview.standard_impact, name="standard_impact"),
    path("standards/<int:pk>/impact/run/", preview.standard_impact_run, name="standard_impact_run"),
    path("impact/<int:pk>/", preview.impact_report, name="impact_report"),
    path("impact/<int:pk>/progress/", preview.impact_progress, name="impact_progress"),
    path("impact/<int:pk>/excel/", preview.impact_excel, name="impact_excel"),
    path("stars/<int:pk>/edit/", standards.star_edit, name="star_edit"),
    path("stars/<int:star_pk>/indicators/new/", standards.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/edit/", standards.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", standards.indicator_delete, name="indicator_delete"),
    path("rankings/", results.rankings, name="rankings"),
    path("explain/<str:code>/<int:year>/<int:month>/<str:star>/", results.explain, name="explain"),
    path("month-close/", results.month_close_view, name="month_close"),
    path("month-close/reopen/", closing.month_reopen_view, name="month_reopen"),
    path("month-close/check/", closing.month_check_view, name="month_check"),
    path("month-close/recompute/", recompute.region_recompute, name="region_recompute"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/resend-failed/", recompute.job_resend_failed, name="job_resend_failed"),
    path("year-turn/", year_turn.year_turn, name="year_turn"),
    path("year-turn/<slug:step>/", year_turn.year_turn_run, name="year_turn_run"),
]
