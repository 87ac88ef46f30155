from django.urls import path

from . import views_campaign as views

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.item_detail, name="task_item"),
    path("tasks/<int:pk>/<slug:action>/", views.problem_action, name="problem_action"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/named.xlsx", views.award_named_export, name="award_named_export"),
]
urlpatterns += [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<int:pk>/", views.inspection_table, name="inspection_table"),
]
urlpatterns += [path("awards/<int:pk>/", views.application_detail, name="application_detail")]
