"""Texts stored before stars were named by the village's variant: a community's warnings, task
items and the notices about it may read a rural star's name (产业兴旺星 for its 宜业兴业星).

Star names are fixed by the code (one name per star and variant, not county data), so the stored
text is rewritten once, exactly: in what is about a community, each rural-only star word becomes
the community's word for the same star. Texts about rural villages are left as they are. New
texts are written with the village's own names already (cadres.models.star_label)."""

from django.db import migrations
from django.db.models import Q

# The rural-only words and the community's words of the same star (frozen here: a migration
# does not follow later edits of the code).
COMMUNITY_WORDS = {"产业兴旺": "宜业兴业", "生态宜居": "共建共享", "文明幸福": "幸福和谐"}


def community_wording(text: str) -> str:
    for rural, urban in COMMUNITY_WORDS.items():
        text = text.replace(rural, urban)
    return text


def _any_rural_word(field: str) -> Q:
    q = Q()
    for word in COMMUNITY_WORDS:
        q |= Q(**{f"{field}__contains": word})
    return q


def _rewrite(rows, fields) -> None:
    for row in rows:
        changed = [f for f in fields if community_wording(getattr(row, f)) != getattr(row, f)]
        for f in changed:
            setattr(row, f, community_wording(getattr(row, f)))
        if changed:
            row.save(update_fields=changed)


def community_star_names(apps, schema_editor):
    Region = apps.get_model("villages", "Region")
    EarlyWarning = apps.get_model("ratings", "EarlyWarning")
    ChecklistItem = apps.get_model("ratings", "ChecklistItem")
    Notice = apps.get_model("ratings", "Notice")
    communities = list(Region.objects.filter(level="village", kind="urban").values_list("pk", "name", "code"))
    if not communities:
        return
    ids = [pk for pk, _name, _code in communities]
    _rewrite(EarlyWarning.objects.filter(_any_rural_word("text"), region_id__in=ids), ["text"])
    _rewrite(ChecklistItem.objects.filter(_any_rural_word("title") | _any_rural_word("detail"), village_id__in=ids),
             ["title", "detail"])
    # A notice is sent to a township (or the county) and begins with the name of the village it is
    # about ("建设路社区被摘除……"): rewritten when that village is a community of its region.
    for notice in Notice.objects.filter(_any_rural_word("text")).select_related("region"):
        prefix = notice.region.code[:9] if notice.region.level == "township" else notice.region.code[:6]
        if any(notice.text.startswith(name) and code.startswith(prefix) for _pk, name, code in communities):
            _rewrite([notice], ["text"])


class Migration(migrations.Migration):

    dependencies = [
        ("ratings", "0006_job_runs_to_config_and_people_links"),
        ("villages", "0002_region_start_month"),
    ]

    operations = [migrations.RunPython(community_star_names, migrations.RunPython.noop)]
