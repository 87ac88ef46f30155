from django.urls import path

from . import views, views_community, views_service_centre

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
    path("community/", views_community.community_index, name="community_index"),
    path("community/<str:code>/", views_community.community_page, name="community_page"),
    path("community/<str:code>/needs/new/", views_community.need_new, name="need_new"),
    path("community/<str:code>/resources/new/", views_community.resource_new, name="resource_new"),
    path("needs/<int:pk>/", views_community.need_detail, name="need_detail"),
    path("needs/<int:pk>/<slug:action>/", views_community.need_action, name="need_action"),
    path("service/", views_service_centre.service_index, name="service_index"),
    path("service/<str:code>/", views_service_centre.service_village, name="service_village"),
    path("service/<str:code>/shifts/new/", views_service_centre.shift_new, name="shift_new"),
    path("service/<str:code>/errands/new/", views_service_centre.errand_new, name="errand_new"),
    path("shifts/<int:pk>/end/", views_service_centre.shift_end, name="shift_end"),
    path("errands/<int:pk>/", views_service_centre.errand_detail, name="errand_detail"),
    path("errands/<int:pk>/done/", views_service_centre.errand_done_view, name="errand_done"),
    path("resources/<int:pk>/withdraw/", views_community.resource_withdraw_view, name="resource_withdraw"),
]
