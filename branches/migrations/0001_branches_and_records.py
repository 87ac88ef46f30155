
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('villages', '0001_regions'),
    ]

    operations = [
        migrations.CreateModel(
            name='CommunityResource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider_name', models.CharField(max_length=80, verbose_name='提供单位')),
                ('provider_kind', models.CharField(choices=[('unit', '驻区单位'), ('enterprise', '企业'), ('social_org', '社会组织')], max_length=12, verbose_name='单位类型')),
                ('category', models.CharField(choices=[('elderly', '养老助老'), ('children', '托育助学'), ('employment', '就业创业'), ('health', '医疗健康'), ('environment', '环境物业'), ('legal', '法律调解'), ('culture', '文体活动'), ('assistance', '帮困救助'), ('other', '其他')], max_length=15, verbose_name='类别')),
                ('description', models.CharField(max_length=200, verbose_name='资源内容')),
                ('contact', models.CharField(blank=True, max_length=60, verbose_name='联系人及电话')),
                ('offered_on', models.DateField(verbose_name='登记日期')),
                ('withdrawn_on', models.DateField(blank=True, null=True, verbose_name='停止提供日期')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
            ],
            options={
                'verbose_name': '共建资源',
                'verbose_name_plural': '资源清单',
                'ordering': ['community__code', 'category', 'provider_name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
                ('matter', models.CharField(max_length=200, verbose_name='议题')),
                ('proposed_on', models.DateField(blank=True, null=True, verbose_name='党支部会议提议')),
                ('discussed_on', models.DateField(blank=True, null=True, verbose_name='“两委”联席会议商议')),
                ('reviewed_on', models.DateField(blank=True, null=True, verbose_name='党员大会审议')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='村民代表会议决议')),
                ('resolution_published_on', models.DateField(blank=True, null=True, verbose_name='决议公开')),
                ('result_published_on', models.DateField(blank=True, null=True, verbose_name='实施结果公开')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
            ],
            options={
                'verbose_name': '四议两公开',
                'verbose_name_plural': '四议两公开',
                'ordering': ['-proposed_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
                ('type', models.CharField(choices=[('members_meeting', '支部党员大会'), ('committee_meeting', '支部委员会'), ('group_meeting', '党小组会'), ('party_lecture', '党课'), ('themed_party_day', '主题党日')], max_length=20, verbose_name='类型')),
                ('date', models.DateField(verbose_name='日期')),
                ('topic', models.CharField(max_length=200, verbose_name='主题')),
                ('members_expected', models.PositiveIntegerField(verbose_name='应到人数')),
                ('attendance', models.PositiveIntegerField(verbose_name='实到人数')),
                ('minutes', models.TextField(blank=True, verbose_name='会议记录')),
                ('attachment', models.FileField(blank=True, upload_to='branch_meetings/%Y/%m/', verbose_name='记录照片或附件')),
            ],
            options={
                'verbose_name': '组织生活记录',
                'verbose_name_plural': '组织生活记录',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='NeedMatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('matched_on', models.DateField(verbose_name='对接日期')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='对接说明')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='办结日期')),
                ('done_note', models.CharField(blank=True, max_length=200, verbose_name='办结情况')),
                ('cancelled_on', models.DateField(blank=True, null=True, verbose_name='取消对接日期')),
            ],
            options={
                'verbose_name': '需求对接',
                'verbose_name_plural': '需求对接',
                'ordering': ['-matched_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Posting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
                ('category', models.CharField(choices=[('party', '党务公开'), ('village', '村务公开'), ('financial', '财务公开')], max_length=12, verbose_name='公开类别')),
                ('year', models.PositiveSmallIntegerField(verbose_name='所属年度')),
                ('month', models.PositiveSmallIntegerField(verbose_name='所属月份')),
                ('posted_on', models.DateField(verbose_name='公开日期')),
                ('content', models.TextField(verbose_name='公开内容')),
                ('photo', models.FileField(blank=True, upload_to='branch_postings/%Y/%m/', verbose_name='公开栏照片')),
            ],
            options={
                'verbose_name': '三务公开',
                'verbose_name_plural': '三务公开',
                'ordering': ['-year', '-month', 'category', '-id'],
            },
        ),
        migrations.CreateModel(
            name='RecordEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_type', models.CharField(max_length=20, verbose_name='记录类型')),
                ('record_id', models.PositiveBigIntegerField(verbose_name='记录编号')),
                ('action', models.CharField(choices=[('create', '新建'), ('update', '修改'), ('delete', '删除'), ('plan', '制定整顿方案'), ('progress', '报告整顿进展'), ('accept', '验收销号')], max_length=10, verbose_name='操作')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('changes', models.JSONField(blank=True, default=dict, verbose_name='变更内容')),
            ],
            options={
                'verbose_name': '组织生活记录变更',
                'verbose_name_plural': '组织生活记录变更',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Rectification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('reason', models.TextField(verbose_name='软弱涣散原因')),
                ('plan', models.TextField(blank=True, verbose_name='整顿方案')),
                ('progress', models.TextField(blank=True, verbose_name='整顿进展')),
                ('status', models.CharField(choices=[('listed', '已列入'), ('rectifying', '整顿中'), ('accepted', '已验收销号')], default='listed', max_length=12, verbose_name='状态')),
                ('listed_on', models.DateField(verbose_name='列入日期')),
                ('accepted_on', models.DateField(blank=True, null=True, verbose_name='验收日期')),
                ('accepted_by', models.CharField(blank=True, max_length=60, verbose_name='验收单位')),
                ('acceptance_note', models.TextField(blank=True, verbose_name='验收意见')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '软弱涣散整顿',
                'verbose_name_plural': '软弱涣散整顿',
                'ordering': ['-year', 'branch_id'],
            },
        ),
        migrations.CreateModel(
            name='RectificationUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='日期')),
                ('note', models.TextField(verbose_name='进展情况')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='填报时间')),
            ],
            options={
                'verbose_name': '整顿进展',
                'verbose_name_plural': '整顿进展',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Branch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='党组织名称')),
                ('org_type', models.CharField(choices=[('branch', '党支部'), ('general_branch', '党总支'), ('committee', '党委')], default='branch', max_length=20, verbose_name='组织类型')),
                ('secretary_name', models.CharField(blank=True, max_length=40, verbose_name='书记姓名')),
                ('secretary_phone', models.CharField(blank=True, max_length=20, verbose_name='书记电话')),
                ('secretary_is_head', models.BooleanField(default=False, verbose_name='书记兼村委会主任（一肩挑）')),
                ('secretary_since', models.DateField(blank=True, null=True, verbose_name='书记任职时间')),
                ('committee_size', models.PositiveSmallIntegerField(default=3, verbose_name='支委人数')),
                ('member_count', models.PositiveIntegerField(default=0, verbose_name='党员人数')),
                ('probationary_count', models.PositiveIntegerField(default=0, verbose_name='预备党员人数')),
                ('established_on', models.DateField(blank=True, null=True, verbose_name='成立时间')),
                ('is_weak_lax', models.BooleanField(db_index=True, default=False, verbose_name='软弱涣散')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('village', models.OneToOneField(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='branch', to='villages.region', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '党组织',
                'verbose_name_plural': '党组织',
                'ordering': ['village__code'],
            },
        ),
        migrations.CreateModel(
            name='CommitteeMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('position', models.CharField(help_text='如：书记、副书记、组织委员、宣传委员、纪检委员', max_length=40, verbose_name='职务')),
                ('gender', models.CharField(blank=True, choices=[('男', '男'), ('女', '女')], max_length=2, verbose_name='性别')),
                ('birth_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='出生年份')),
                ('education', models.CharField(blank=True, max_length=20, verbose_name='学历')),
                ('branch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee', to='branches.branch', verbose_name='党组织')),
            ],
            options={
                'verbose_name': '支委成员',
                'verbose_name_plural': '支委成员',
                'ordering': ['branch_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CommunityNeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100, verbose_name='需求')),
                ('category', models.CharField(choices=[('elderly', '养老助老'), ('children', '托育助学'), ('employment', '就业创业'), ('health', '医疗健康'), ('environment', '环境物业'), ('legal', '法律调解'), ('culture', '文体活动'), ('assistance', '帮困救助'), ('other', '其他')], max_length=15, verbose_name='类别')),
                ('detail', models.TextField(blank=True, verbose_name='具体情况')),
                ('raised_by', models.CharField(blank=True, max_length=60, verbose_name='提出居民或群体')),
                ('raised_on', models.DateField(verbose_name='提出日期')),
                ('status', models.CharField(choices=[('open', '待对接'), ('matched', '已对接'), ('done', '已办结'), ('cancelled', '已撤销')], default='open', max_length=10, verbose_name='状态')),
                ('cancelled_on', models.DateField(blank=True, null=True, verbose_name='撤销日期')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='community_needs', to='villages.region', verbose_name='社区')),
            ],
            options={
                'verbose_name': '居民需求',
                'verbose_name_plural': '需求清单',
                'ordering': ['-raised_on', '-id'],
            },
        ),
    ]
