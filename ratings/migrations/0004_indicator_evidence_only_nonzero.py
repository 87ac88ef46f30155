
from django.db import migrations, models


def incident_counts_need_evidence_only_when_reported(apps, schema_editor):
    """The default standard's veto counts (违纪违法, 越级集访… typed as 0 most months) asked for
    evidence of nothing happening; they now ask for it only when an event is reported."""
    Indicator = apps.get_model("ratings", "Indicator")
    Indicator.objects.filter(rule="veto", source="ledger", evidence_required=True).update(evidence_only_nonzero=True)


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0003_month_follow_ups_and_unreviewed_at_close'),
    ]

    operations = [
        migrations.AddField(
            model_name='indicator',
            name='evidence_only_nonzero',
            field=models.BooleanField(default=False, help_text='勾选后，数值为0（如未发生事件）时无需上传佐证材料', verbose_name='仅数值不为零时须附佐证'),
        ),
        migrations.RunPython(incident_counts_need_evidence_only_when_reported, migrations.RunPython.noop),
    ]
