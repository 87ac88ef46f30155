"""Reports' pages come from two modules, so dashboards/bulletins and the campaign workflows
(task lists, problem ledgers, inspections, awards) can grow independently under one namespace."""

from importlib import import_module

app_name = "reports"

urlpatterns: list = []
for _name in ("reports.urls_dashboards", "reports.urls_campaign"):
    try:
        urlpatterns += import_module(_name).urlpatterns
    except ModuleNotFoundError as exc:
        if exc.name != _name:
            raise
