
import django.core.validators
import django.db.models.deletion
from decimal import Decimal
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
            name='Cooperative',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='合作社名称')),
                ('led_by_branch', models.BooleanField(default=True, verbose_name='支部领办')),
                ('established_on', models.DateField(blank=True, null=True, verbose_name='成立日期')),
                ('dissolved_on', models.DateField(blank=True, help_text='合作社注销或不再由支部领办的日期', null=True, verbose_name='注销日期')),
                ('members', models.PositiveIntegerField(default=0, verbose_name='成员数')),
                ('business', models.CharField(blank=True, max_length=100, verbose_name='主营业务')),
                ('village', models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='cooperatives', to='villages.region', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '合作社',
                'verbose_name_plural': '合作社',
                'ordering': ['village__code', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Binding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enterprise', models.CharField(max_length=100, verbose_name='龙头企业')),
                ('farmers_bound', models.PositiveIntegerField(default=0, verbose_name='联结农户（户）')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='签约日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='解除日期')),
                ('terms', models.CharField(blank=True, max_length=200, verbose_name='利益联结方式')),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bindings', to='projects.cooperative', verbose_name='合作社')),
            ],
            options={
                'verbose_name': '双绑联结',
                'verbose_name_plural': '双绑联结',
                'ordering': ['cooperative_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='项目名称')),
                ('project_type', models.CharField(choices=[('photovoltaic', '光伏电站'), ('workshop', '帮扶车间'), ('livestock', '养殖'), ('planting', '特色种植'), ('homestay', '民宿'), ('land_transfer', '土地流转'), ('tourism', '乡村旅游'), ('labour', '劳务服务'), ('property', '物业租赁'), ('other', '其他')], max_length=20, verbose_name='项目类型')),
                ('investment', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='投资额（万元）')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='开工日期')),
                ('status', models.CharField(choices=[('planned', '谋划中'), ('building', '建设中'), ('operating', '运营中'), ('suspended', '已停运')], default='operating', max_length=12, verbose_name='状态')),
                ('owner', models.CharField(blank=True, max_length=60, verbose_name='负责人/经营主体')),
                ('annual_income', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='年收益（万元）')),
                ('households_benefiting', models.PositiveIntegerField(default=0, verbose_name='带动农户（户）')),
                ('jobs_created', models.PositiveIntegerField(default=0, verbose_name='带动就业（人）')),
                ('is_leading_industry', models.BooleanField(default=False, verbose_name='一村一品主导产业')),
                ('description', models.TextField(blank=True, verbose_name='简介')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('village', models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='villages.region', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '集体经济项目',
                'verbose_name_plural': '集体经济项目',
                'ordering': ['village__code', 'name'],
            },
        ),
        migrations.CreateModel(
            name='CollectiveIncome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('total', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='集体经济总收入（元）')),
                ('operating', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='经营性收入（元）')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('source', models.CharField(choices=[('yearly', '按年度填报'), ('monthly', '按月汇总')], default='yearly', max_length=8, verbose_name='填报方式')),
                ('created_at', models.DateTimeField(auto_now_add=True, null=True, verbose_name='填报时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人')),
                ('village', models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='incomes', to='villages.region', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '集体经济收入',
                'verbose_name_plural': '集体经济收入',
                'ordering': ['village__code', '-year'],
                'constraints': [models.UniqueConstraint(fields=('village', 'year'), name='income_one_per_village_year'), models.CheckConstraint(condition=models.Q(('operating__lte', models.F('total'))), name='income_operating_le_total')],
            },
        ),
        migrations.CreateModel(
            name='CollectiveIncomeMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('month', models.PositiveSmallIntegerField(verbose_name='月份')),
                ('total', models.DecimalField(decimal_places=2, max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='当月集体经济收入（元）')),
                ('operating', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=14, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='当月经营性收入（元）')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='填报时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='填报人')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后修改人')),
                ('village', models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='income_months', to='villages.region', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '集体经济月度收入',
                'verbose_name_plural': '集体经济月度收入',
                'ordering': ['village__code', '-year', 'month'],
                'constraints': [models.UniqueConstraint(fields=('village', 'year', 'month'), name='income_month_one_per_village_month'), models.CheckConstraint(condition=models.Q(('operating__lte', models.F('total'))), name='income_month_operating_le_total'), models.CheckConstraint(condition=models.Q(('month__gte', 1), ('month__lte', 12)), name='income_month_in_range')],
            },
        ),
    ]
