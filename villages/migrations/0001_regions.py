
import django.db.models.deletion
import villages.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(error_messages={'unique': '该区划代码已存在'}, max_length=12, unique=True, validators=[villages.models.validate_code_format], verbose_name='区划代码')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('level', models.CharField(choices=[('province', '省'), ('city', '市'), ('county', '县（区）'), ('township', '乡镇（街道）'), ('village', '村（社区）')], db_index=True, max_length=10, verbose_name='层级')),
                ('kind', models.CharField(blank=True, choices=[('rural', '行政村'), ('urban', '城市社区')], default='', help_text='村一级：行政村或城市社区，两类分别评星、分别排名', max_length=10, verbose_name='类别')),
                ('households', models.PositiveIntegerField(blank=True, null=True, verbose_name='户数')),
                ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='人口')),
                ('area_km2', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True, verbose_name='面积（平方公里）')),
                ('natural_villages', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='自然村数')),
                ('cultivated_mu', models.DecimalField(blank=True, decimal_places=1, max_digits=10, null=True, verbose_name='耕地面积（亩）')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                ('is_active', models.BooleanField(default=True, verbose_name='有效')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='villages.region', verbose_name='上级')),
            ],
            options={
                'verbose_name': '行政区划',
                'verbose_name_plural': '行政区划',
                'ordering': ['code'],
                'indexes': [models.Index(fields=['level', 'code'], name='villages_re_level_327547_idx'), models.Index(fields=['parent', 'code'], name='villages_re_parent__f57d18_idx'), models.Index(fields=['code'], name='region_code_prefix', opclasses=['varchar_pattern_ops'])],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind', ''), ('level', 'village'), _connector='OR'), name='region_kind_only_village')],
            },
        ),
    ]
