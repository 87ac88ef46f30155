from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计报表"

    def ready(self) -> None:
        # Bulletins follow the month close through ratings' signals; importing the tasks here
        # registers them in every process (web, beat, worker), so a job run of this app can
        # be sent again by name from ratings without ratings importing reports.
        from . import receivers, tasks  # noqa: F401
