from importlib import import_module

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "星级评定"

    def ready(self) -> None:
        from cadres.services_taskforce import LEAD_DEPARTMENT_SOURCES
        from cadres.signals import consultation_measures_decided, visit_problems_raised
        from config.health import register_background_problems, register_check
        from config.jobs import job_run_failed
        from villages.signals import village_records_changed, villages_records_imported

        from .campaign.selectors import star_lead_department
        from .campaign.services.checklist import consultation_measures_record, visit_problems_record
        from .health import check_month_close, recompute_backlog
        from .metrics import PROVIDER_MODULES
        from .services.hooks import job_run_failed as notify_job_run_failed
        from .services.hooks import village_records_changed as rescore_village
        from .services.hooks import villages_records_imported as rescore_villages

        village_records_changed.connect(rescore_village, dispatch_uid="ratings.rescore_village")
        villages_records_imported.connect(rescore_villages, dispatch_uid="ratings.rescore_villages")
        job_run_failed.connect(notify_job_run_failed, dispatch_uid="ratings.notify_job_run_failed")
        register_check("month_close", check_month_close)
        register_background_problems(recompute_backlog)
        # The people's workflows (cadres) whose records become campaign task items.
        visit_problems_raised.connect(visit_problems_record, dispatch_uid="ratings.visit_problems_record")
        consultation_measures_decided.connect(consultation_measures_record,
                                              dispatch_uid="ratings.consultation_measures_record")
        if star_lead_department not in LEAD_DEPARTMENT_SOURCES:
            LEAD_DEPARTMENT_SOURCES.append(star_lead_department)

        for module in PROVIDER_MODULES:
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
