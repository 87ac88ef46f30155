
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ratings', '0004_indicator_evidence_only_nonzero'),
    ]

    operations = [
        migrations.AddField(
            model_name='jobrun',
            name='note',
            field=models.CharField(blank=True, max_length=200, verbose_name='说明'),
        ),
        migrations.AddField(
            model_name='jobrun',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='发送时间'),
        ),
        migrations.AddField(
            model_name='jobrun',
            name='worker',
            field=models.CharField(blank=True, max_length=200, verbose_name='工作进程'),
        ),
        migrations.AlterField(
            model_name='jobrun',
            name='state',
            field=models.CharField(choices=[('pending', '排队中'), ('running', '运行中'), ('retrying', '等待重试'), ('done', '已完成'), ('partial', '部分失败'), ('failed', '失败')], default='pending', max_length=10, verbose_name='状态'),
        ),
    ]
