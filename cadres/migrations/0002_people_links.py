
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cadres', '0001_users_posts_and_first_secretaries'),
        ('ratings', '0001_standards_ledgers_and_results'),
        ('villages', '0001_regions'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='measures',
            field=models.ManyToManyField(blank=True, related_name='+', to='ratings.checklistitem', verbose_name='议定措施'),
        ),
        migrations.AddField(
            model_name='consultation',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人'),
        ),
        migrations.AddField(
            model_name='consultation',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='villages.region', verbose_name='组织单位'),
        ),
        migrations.AddField(
            model_name='consultationprogress',
            name='consultation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='cadres.consultation', verbose_name='会商'),
        ),
        migrations.AddField(
            model_name='contactvisit',
            name='assignment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='cadres.assignment', verbose_name='包联责任'),
        ),
        migrations.AddField(
            model_name='contactvisit',
            name='problems',
            field=models.ManyToManyField(blank=True, related_name='+', to='ratings.checklistitem', verbose_name='提出问题'),
        ),
        migrations.AddField(
            model_name='contactvisit',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contact_visits', to='villages.region', verbose_name='走访村（社区）'),
        ),
        migrations.AddField(
            model_name='contactvisit',
            name='visitor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contact_visits', to=settings.AUTH_USER_MODEL, verbose_name='走访人'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='evaluated_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评定人'),
        ),
        migrations.AddField(
            model_name='firstsecretary',
            name='recalled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='召回人'),
        ),
        migrations.AddField(
            model_name='firstsecretary',
            name='user',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='first_secretary', to=settings.AUTH_USER_MODEL, verbose_name='登录账号'),
        ),
        migrations.AddField(
            model_name='firstsecretary',
            name='village',
            field=models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='first_secretaries', to='villages.region', verbose_name='驻村'),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddField(
            model_name='leaverequest',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人'),
        ),
        migrations.AddField(
            model_name='leaverequest',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='leave_requests', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddField(
            model_name='monthlyreport',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='monthly_reports', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddField(
            model_name='monthlyreport',
            name='read_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='阅知人'),
        ),
        migrations.AddField(
            model_name='post',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='posts', to='villages.region', verbose_name='区划'),
        ),
        migrations.AddField(
            model_name='post',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='posts', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.AddField(
            model_name='signin',
            name='created_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人'),
        ),
        migrations.AddField(
            model_name='signin',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sign_ins', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddField(
            model_name='signin',
            name='village',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='villages.region', verbose_name='村'),
        ),
        migrations.AddField(
            model_name='spotcheck',
            name='checked_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='抽查人'),
        ),
        migrations.AddField(
            model_name='spotcheck',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='spot_checks', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddField(
            model_name='taskforce',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='task_forces', to='villages.region', verbose_name='所属县或乡镇'),
        ),
        migrations.AddField(
            model_name='taskforce',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='更新人'),
        ),
        migrations.AddField(
            model_name='taskforcemember',
            name='task_force',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='cadres.taskforce', verbose_name='专班'),
        ),
        migrations.AddField(
            model_name='workteammember',
            name='first_secretary',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='team_members', to='cadres.firstsecretary', verbose_name='第一书记'),
        ),
        migrations.AddIndex(
            model_name='accountevent',
            index=models.Index(fields=['user', '-at'], name='cadres_acco_user_id_2c8ffd_idx'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['year', 'duty'], name='cadres_assi_year_229e70_idx'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='assignment_date_order'),
        ),
        migrations.AddIndex(
            model_name='contactvisit',
            index=models.Index(fields=['date'], name='cadres_cont_date_e3f0a4_idx'),
        ),
        migrations.AddConstraint(
            model_name='firstsecretary',
            constraint=models.CheckConstraint(condition=models.Q(('term_end__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='first_secretary_term_order'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(fields=('first_secretary', 'year'), name='evaluation_one_per_year'),
        ),
        migrations.AddConstraint(
            model_name='leaverequest',
            constraint=models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='leave_end_after_start'),
        ),
        migrations.AddConstraint(
            model_name='monthlyreport',
            constraint=models.UniqueConstraint(fields=('first_secretary', 'year', 'month'), name='monthly_report_one_per_month'),
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('user', 'role', 'region', 'star'), name='post_unique_active_per_user'),
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='post_dates_order'),
        ),
        migrations.AddIndex(
            model_name='signin',
            index=models.Index(fields=['village', 'date'], name='cadres_sign_village_7ed4ce_idx'),
        ),
        migrations.AddConstraint(
            model_name='signin',
            constraint=models.UniqueConstraint(fields=('first_secretary', 'date'), name='sign_in_one_per_day'),
        ),
        migrations.AddConstraint(
            model_name='taskforce',
            constraint=models.UniqueConstraint(fields=('region', 'year', 'star'), name='task_force_one_per_star'),
        ),
    ]
