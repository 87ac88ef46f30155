
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerHeartbeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hostname', models.CharField(max_length=200, unique=True, verbose_name='工作进程主机')),
                ('seen_at', models.DateTimeField(verbose_name='最近心跳')),
            ],
            options={
                'verbose_name': '后台工作进程心跳',
                'verbose_name_plural': '后台工作进程心跳',
            },
        ),
    ]
