from django.urls import path

from . import views_campaign as views

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.item_detail, name="task_item"),
    path("tasks/<int:pk>/<slug:action>/", views.problem_action, name="problem_action"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/named.xlsx", views.award_named_export, name="award_named_export"),
]
