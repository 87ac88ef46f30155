
import django.db.models.deletion
import reports.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('villages', '0001_regions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Bulletin',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('month', models.PositiveSmallIntegerField(verbose_name='月份')),
                ('view', models.CharField(default='published', max_length=10, verbose_name='口径')),
                ('kind', models.CharField(choices=[('monthly', '月度通报')], default='monthly', max_length=10, verbose_name='类型')),
                ('xlsx', models.FileField(blank=True, upload_to=reports.models.bulletin_path, verbose_name='Excel 文件')),
                ('pdf', models.FileField(blank=True, upload_to=reports.models.bulletin_path, verbose_name='PDF 文件')),
                ('status', models.CharField(choices=[('pending', '生成中'), ('done', '已生成'), ('failed', '生成失败')], default='pending', max_length=10, verbose_name='状态')),
                ('generated_at', models.DateTimeField(blank=True, null=True, verbose_name='生成时间')),
                ('superseded_at', models.DateTimeField(blank=True, null=True, verbose_name='作废时间')),
                ('superseded_reason', models.TextField(blank=True, verbose_name='作废原因')),
                ('generated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bulletins', to='villages.region', verbose_name='范围')),
            ],
            options={
                'verbose_name': '月度通报',
                'verbose_name_plural': '月度通报',
                'ordering': ['-year', '-month', 'region__code'],
                'constraints': [models.UniqueConstraint(fields=('region', 'year', 'month', 'view', 'kind'), name='bulletin_unique')],
            },
        ),
    ]
