import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The job runs become config's (the bookkeeping every app's tasks and imports use); their
    table stays ratings_jobrun, so nothing is written to the database here. After ratings 0005,
    which made that table as it is now, so later changes to it here find it."""

    dependencies = [
        ('config', '0002_sign_in_failures'),
        ('villages', '0002_region_start_month'),
        ('ratings', '0005_job_run_worker_and_partial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='JobRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('recompute', '重新计算'), ('month_close', '月度关账'), ('bulletins', '月度通报'), ('import', '数据导入')], max_length=20, verbose_name='任务类型')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='年度')),
                        ('month', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='月份')),
                        ('view', models.CharField(blank=True, max_length=10, verbose_name='口径')),
                        ('state', models.CharField(choices=[('pending', '排队中'), ('running', '运行中'), ('retrying', '等待重试'), ('done', '已完成'), ('partial', '部分失败'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('deadline', models.DateTimeField(blank=True, null=True, verbose_name='应完成时间')),
                        ('deliveries', models.PositiveSmallIntegerField(default=0, verbose_name='执行次数')),
                        ('resubmits', models.PositiveSmallIntegerField(default=0, verbose_name='补做次数')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='任务编号')),
                        ('worker', models.CharField(blank=True, max_length=200, verbose_name='工作进程')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('result', models.CharField(blank=True, max_length=200, verbose_name='结果')),
                        ('error', models.TextField(blank=True, verbose_name='错误')),
                        ('county', models.ForeignKey(blank=True, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='villages.region', verbose_name='县')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='children', to='config.jobrun', verbose_name='所属批次')),
                    ],
                    options={
                        'verbose_name': '后台任务',
                        'verbose_name_plural': '后台任务',
                        'db_table': 'ratings_jobrun',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['kind', 'state'], name='jobrun_kind_state'), models.Index(fields=['county', '-created_at'], name='jobrun_county_created')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
