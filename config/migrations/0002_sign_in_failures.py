
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('config', '0001_worker_heartbeat'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignInFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150, verbose_name='用户名')),
                ('ip_address', models.CharField(max_length=64, verbose_name='网络地址')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
            ],
            options={
                'verbose_name': '登录失败记录',
                'verbose_name_plural': '登录失败记录',
                'indexes': [models.Index(fields=['ip_address', 'at'], name='signin_failure_ip_at'), models.Index(fields=['username', 'at'], name='signin_failure_user_at')],
            },
        ),
    ]
