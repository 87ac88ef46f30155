from importlib import import_module

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "星级评定"

    def ready(self) -> None:
        from .metrics import PROVIDER_MODULES

        for module in PROVIDER_MODULES:
            try:
                import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
