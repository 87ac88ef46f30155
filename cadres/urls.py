from django.urls import path

from . import views_duty, views_leave, views_secretaries, views_taskforce, views_township, views_work

app_name = "cadres"

urlpatterns: list = [
    path("sign-in/", views_work.sign_in, name="sign_in"),
    path("attendance/", views_work.township_attendance_page, name="township_attendance"),
    path("monthly-report/", views_work.monthly_report, name="monthly_report"),
    path("first-secretaries/", views_secretaries.first_secretary_list, name="first_secretary_list"),
    path("first-secretaries/<int:pk>/", views_secretaries.first_secretary_detail, name="first_secretary_detail"),
    path("first-secretaries/<int:pk>/recall/", views_secretaries.first_secretary_recall_view,
         name="first_secretary_recall"),
    path("first-secretaries/<int:pk>/evaluations/", views_secretaries.evaluation_create, name="evaluation_create"),
    path("first-secretaries/<int:pk>/spot-checks/", views_secretaries.spot_check_create, name="spot_check_create"),
    path("evaluations/", views_secretaries.evaluation_list, name="evaluation_list"),
    path("leave/", views_leave.leave_request_page, name="leave_request"),
    path("leaves/", views_leave.leave_list, name="leave_list"),
    path("leaves/<int:pk>/decide/", views_leave.leave_decide_view, name="leave_decide"),
    path("spot-checks/", views_township.spot_check_week_page, name="spot_check_week"),
    path("monthly-reports/", views_township.monthly_report_list, name="monthly_report_list"),
    path("monthly-reports/<int:pk>/", views_township.monthly_report_detail, name="monthly_report_detail"),
    path("monthly-reports/<int:pk>/read/", views_township.monthly_report_read, name="monthly_report_read"),
    path("allowance/", views_township.allowance_page, name="allowance"),
    path("allowance/export/", views_township.allowance_export, name="allowance_export"),
    path("duty/", views_duty.duty_list, name="duty_list"),
    path("duty/new/", views_duty.duty_new, name="duty_new"),
    path("duty/<int:pk>/end/", views_duty.duty_end, name="duty_end"),
    path("visits/", views_duty.visit_mine, name="visit_mine"),
    path("visits/new/", views_duty.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views_duty.visit_detail, name="visit_detail"),
    path("visits/overview/", views_duty.visit_overview, name="visit_overview"),
    path("task-forces/", views_taskforce.task_force_list, name="task_force_list"),
    path("task-forces/edit/", views_taskforce.task_force_edit, name="task_force_edit"),
    path("consultations/", views_taskforce.consultation_list, name="consultation_list"),
    path("consultations/new/", views_taskforce.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", views_taskforce.consultation_detail, name="consultation_detail"),
]
