"""The campaign's pages: task lists and the problem ledger, inspections, targets and awards.

Mounted at /campaign/; the paths they had under /reports/ redirect here (reports/urls.py)."""

from django.urls import path

from .views import awards, pairings, plans, rewards, warnings, weekly
from .views import tasks as views

app_name = "campaign"

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("warnings/", warnings.warning_list, name="warning_list"),
    path("warnings/<int:pk>/acknowledge/", warnings.warning_ack, name="warning_ack"),
    path("tasks/<int:pk>/", views.item_detail, name="task_item"),
    path("tasks/<int:pk>/evidence/<int:progress_id>/", views.progress_evidence, name="progress_evidence"),
    path("tasks/<int:pk>/<slug:action>/", views.problem_action, name="problem_action"),
    path("tasks/problems/new/", views.problem_new, name="problem_new"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/scores/", views.inspection_scores, name="inspection_scores"),
    path("inspections/<int:pk>/", views.inspection_table, name="inspection_table"),
    path("awards/", awards.award_list, name="award_list"),
    path("awards/named.xlsx", awards.award_named_export, name="award_named_export"),
    path("awards/targets/", awards.award_targets, name="award_targets"),
    path("awards/apply/", awards.award_apply, name="award_apply"),
    path("awards/<int:pk>/", awards.application_detail, name="application_detail"),
    path("awards/<int:pk>/<slug:action>/", awards.award_action, name="award_action"),
    path("four-lists/", plans.four_lists_mine, name="four_lists_mine"),
    path("four-lists/<str:code>/", plans.four_lists_page, name="four_lists"),
    path("four-lists/<str:code>/pdf/", plans.four_lists_page, {"fmt": "pdf"}, name="four_lists_pdf"),
    path("plans/", plans.township_plan_index, name="township_plan_index"),
    path("plans/<str:code>/", plans.township_plan_page, name="township_plan"),
    path("rewards/", rewards.reward_page, name="rewards"),
    path("rewards/export.xlsx", rewards.reward_export, name="rewards_export"),
    path("rewards/scheme/", rewards.reward_scheme_view, name="reward_scheme"),
    path("rewards/decide/", rewards.reward_decide_view, name="reward_decide"),
    path("plans/<str:code>/pdf/", plans.township_plan_page, {"fmt": "pdf"}, name="township_plan_pdf"),
    path("weekly/", weekly.weekly_index, name="weekly_index"),
    path("weekly/new/", weekly.weekly_new, name="weekly_new"),
    path("weekly/village/<str:code>/", weekly.weekly_village, name="weekly_village"),
    path("weekly/township/<str:code>/", weekly.weekly_township, name="weekly_township"),
    path("weekly/township/<str:code>/commentary/", weekly.weekly_commentary, name="weekly_commentary"),
    path("weekly/photos/<int:pk>/", weekly.weekly_photo, name="weekly_photo"),
    path("pairings/", pairings.pairing_list, name="pairing_list"),
    path("pairings/new/", pairings.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", pairings.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/target/", pairings.pairing_target, name="pairing_target"),
    path("pairings/<int:pk>/activities/", pairings.pairing_activity, name="pairing_activity"),
    path("pairings/<int:pk>/agreement/", pairings.pairing_agreement, name="pairing_agreement"),
    path("pairings/activities/<int:pk>/photo/", pairings.pairing_activity_photo, name="pairing_activity_photo"),
]
