from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.economy_overview, name="economy_overview"),
    path("incomes/", views.income_list, name="income_list"),
    path("incomes/new/", views.income_year_entry, name="income_year_entry"),
    path("incomes/<int:pk>/delete/", views.income_year_delete, name="income_year_delete"),
    path("incomes/village/<str:code>/", views.income_months, name="income_months"),
    path("incomes/months/<int:pk>/delete/", views.income_month_delete, name="income_month_delete"),
    path("incomes/template/", views.income_template, name="income_template"),
    path("incomes/import/", views.income_import, name="income_import"),
]

for _kind, _prefix in (("project", "projects"), ("cooperative", "cooperatives"), ("binding", "bindings")):
    urlpatterns += [
        path(f"{_prefix}/", views.record_list, {"kind": _kind}, name=f"{_kind}_list"),
        path(f"{_prefix}/new/", views.record_create, {"kind": _kind}, name=f"{_kind}_create"),
        path(f"{_prefix}/<int:pk>/edit/", views.record_update, {"kind": _kind}, name=f"{_kind}_update"),
        path(f"{_prefix}/<int:pk>/delete/", views.record_delete, {"kind": _kind}, name=f"{_kind}_delete"),
    ]
