from django.urls import path

from . import views_accounts, views_imports, views_leave, views_secretaries, views_township, views_work

app_name = "cadres"

urlpatterns: list = [
    path("sign-in/", views_work.sign_in, name="sign_in"),
    path("sign-ins/<int:pk>/photo/", views_work.sign_in_photo, name="sign_in_photo"),
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
    path("accounts/", views_accounts.account_list, name="account_list"),
    path("accounts/new/", views_accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", views_accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", views_accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/posts/", views_accounts.post_add_view, name="account_post_add"),
    path("accounts/posts/<int:post_pk>/end/", views_accounts.post_end_view, name="account_post_end"),
    path("accounts/<int:pk>/disable/", views_accounts.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", views_accounts.account_enable, name="account_enable"),
    path("accounts/<int:pk>/reset-password/", views_accounts.account_password_reset, name="account_password_reset"),
    path("imports/", views_imports.import_index, name="import_index"),
    path("imports/issued/", views_imports.issued_download, name="import_issued"),
    path("imports/<slug:slug>/", views_imports.import_page, name="import_page"),
    path("imports/<slug:slug>/template/", views_imports.import_template, name="import_template"),
]
