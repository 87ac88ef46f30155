from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = "人员与权限"

    def ready(self) -> None:
        from villages.signals import regions_deactivated

        from .accounts import posts_end_for_regions

        def end_posts(*, region_ids, by=None, **kwargs) -> int:
            return posts_end_for_regions(region_ids=region_ids, by=by)

        regions_deactivated.connect(end_posts, dispatch_uid="cadres.end_posts", weak=False)
