from django.urls import path

from . import views, views_community, views_members

app_name = "branches"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("<str:name>/<int:pk>/file/", views.record_file, name="record_file"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_edit, name="decision_edit"),
    path("postings/", views.posting_list, name="posting_list"),
    path("postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/", views.posting_edit, name="posting_edit"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/new/", views.rectification_create, name="rectification_create"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/plan/", views.rectification_plan, name="rectification_plan"),
    path("rectifications/<int:pk>/progress/", views.rectification_progress, name="rectification_progress"),
    path("rectifications/<int:pk>/accept/", views.rectification_accept, name="rectification_accept"),
    path("meetings/<int:pk>/roll/", views_members.meeting_roll, name="meeting_roll"),
    path("members/", views_members.member_index, name="member_index"),
    path("members/import/", views_members.member_import_view, name="member_import"),
    path("members/import/template/", views_members.member_import_template, name="member_import_template"),
    path("members/village/<str:code>/", views_members.member_roster, name="member_roster"),
    path("members/village/<str:code>/new/", views_members.member_create, name="member_create"),
    path("members/<int:pk>/", views_members.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views_members.member_edit, name="member_edit"),
    path("members/<int:pk>/leave/", views_members.member_leave, name="member_leave"),
    path("members/<int:pk>/add/<slug:kind>/", views_members.member_record_add, name="member_record_add"),
    path("community/", views_community.community_index, name="community_index"),
    path("community/<str:code>/", views_community.community_page, name="community_page"),
    path("community/<str:code>/needs/new/", views_community.need_new, name="need_new"),
    path("community/<str:code>/resources/new/", views_community.resource_new, name="resource_new"),
    path("needs/<int:pk>/", views_community.need_detail, name="need_detail"),
    path("needs/<int:pk>/<slug:action>/", views_community.need_action, name="need_action"),
    path("resources/<int:pk>/withdraw/", views_community.resource_withdraw_view, name="resource_withdraw"),
]
