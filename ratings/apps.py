from importlib import import_module

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "星级评定"

    def ready(self) -> None:
        from villages.signals import village_records_changed

        from .metrics import PROVIDER_MODULES
        from .services.hooks import village_records_changed as rescore_village

        village_records_changed.connect(rescore_village, dispatch_uid="ratings.rescore_village")

        for module in PROVIDER_MODULES:
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
