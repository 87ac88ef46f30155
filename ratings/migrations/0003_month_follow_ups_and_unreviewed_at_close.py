
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0002_ledger_triggers_and_result_page_room'),
        ('villages', '0001_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='monthcheckrun',
            name='acknowledged',
            field=models.PositiveIntegerField(default=0, verbose_name='已决定保留的差异项'),
        ),
        migrations.AddField(
            model_name='monthclose',
            name='unreviewed',
            field=models.JSONField(blank=True, default=dict, help_text='按星：{星代码: 条数}', verbose_name='关账时未审核台账数'),
        ),
        migrations.AddField(
            model_name='monthreopening',
            name='later_months_checked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='后续月份核对时间'),
        ),
        migrations.CreateModel(
            name='MonthFollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('month', models.PositiveSmallIntegerField(verbose_name='月份')),
                ('found_at', models.DateTimeField(verbose_name='发现时间')),
                ('state', models.CharField(choices=[('open', '待处理'), ('reopened', '已重新打开'), ('left', '保留原发布结果'), ('settled', '已无差异')], default='open', max_length=10, verbose_name='状态')),
                ('differences', models.JSONField(blank=True, default=list, verbose_name='差异')),
                ('villages', models.PositiveIntegerField(default=0, verbose_name='涉及村（社区）数')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('decision_reason', models.TextField(blank=True, verbose_name='处理说明')),
                ('cause', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='ratings.monthreopening', verbose_name='引起差异的重新打开')),
                ('county', models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='villages.region', verbose_name='县')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('reopening', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ratings.monthreopening', verbose_name='本月的重新打开')),
            ],
            options={
                'verbose_name': '更正影响的后续月份',
                'verbose_name_plural': '更正影响的后续月份',
                'ordering': ['county__code', 'year', 'month', '-found_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'open')), fields=('county', 'year', 'month'), name='month_follow_up_one_open')],
            },
        ),
    ]
