
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('branches', '0001_branches_and_records'),
        ('villages', '0001_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='communityneed',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人'),
        ),
        migrations.AddField(
            model_name='communityresource',
            name='community',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='community_resources', to='villages.region', verbose_name='社区'),
        ),
        migrations.AddField(
            model_name='communityresource',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人'),
        ),
        migrations.AddField(
            model_name='decision',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人'),
        ),
        migrations.AddField(
            model_name='decision',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人'),
        ),
        migrations.AddField(
            model_name='decision',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='branch_decisions', to='villages.region', verbose_name='村（社区）'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='branch_meetings', to='villages.region', verbose_name='村（社区）'),
        ),
        migrations.AddField(
            model_name='needmatch',
            name='done_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结登记人'),
        ),
        migrations.AddField(
            model_name='needmatch',
            name='matched_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='对接登记人'),
        ),
        migrations.AddField(
            model_name='needmatch',
            name='need',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='matches', to='branches.communityneed', verbose_name='需求'),
        ),
        migrations.AddField(
            model_name='needmatch',
            name='resource',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='matches', to='branches.communityresource', verbose_name='资源'),
        ),
        migrations.AddField(
            model_name='posting',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人'),
        ),
        migrations.AddField(
            model_name='posting',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人'),
        ),
        migrations.AddField(
            model_name='posting',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='branch_postings', to='villages.region', verbose_name='村（社区）'),
        ),
        migrations.AddField(
            model_name='recordevent',
            name='actor',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='recordevent',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='villages.region', verbose_name='村（社区）'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='accepted_by_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='验收人'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='branch',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rectifications', to='branches.branch', verbose_name='党组织'),
        ),
        migrations.AddField(
            model_name='rectificationupdate',
            name='created_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人'),
        ),
        migrations.AddField(
            model_name='rectificationupdate',
            name='rectification',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='branches.rectification', verbose_name='整顿'),
        ),
        migrations.AddIndex(
            model_name='communityneed',
            index=models.Index(fields=['community', 'status'], name='branches_co_communi_9ac48f_idx'),
        ),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(fields=['village', 'proposed_on'], name='branches_de_village_3b6090_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['village', 'date'], name='branches_me_village_d65908_idx'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(fields=['date', 'type'], name='branches_me_date_47713f_idx'),
        ),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('attendance__lte', models.F('members_expected'))), name='meeting_attendance_within_expected'),
        ),
        migrations.AddIndex(
            model_name='needmatch',
            index=models.Index(fields=['done_on'], name='branches_ne_done_on_4a84f5_idx'),
        ),
        migrations.AddConstraint(
            model_name='needmatch',
            constraint=models.UniqueConstraint(condition=models.Q(('cancelled_on__isnull', True)), fields=('need',), name='need_one_running_match'),
        ),
        migrations.AddConstraint(
            model_name='needmatch',
            constraint=models.CheckConstraint(condition=models.Q(('done_on__isnull', True), ('done_on__gte', models.F('matched_on')), _connector='OR'), name='need_match_done_after_matched'),
        ),
        migrations.AddConstraint(
            model_name='needmatch',
            constraint=models.CheckConstraint(condition=models.Q(('done_on__isnull', True), ('cancelled_on__isnull', True), _connector='OR'), name='need_match_done_or_cancelled'),
        ),
        migrations.AddIndex(
            model_name='posting',
            index=models.Index(fields=['village', 'year', 'month'], name='branches_po_village_bf589f_idx'),
        ),
        migrations.AddIndex(
            model_name='recordevent',
            index=models.Index(fields=['record_type', 'record_id'], name='branches_re_record__f1d0eb_idx'),
        ),
    ]
