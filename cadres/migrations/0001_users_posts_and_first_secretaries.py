
import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('villages', '0001_regions'),
    ]

    operations = [
        migrations.CreateModel(
            name='Consultation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='会商日期')),
                ('title', models.CharField(max_length=100, verbose_name='会议名称')),
                ('attendees', models.TextField(verbose_name='参会人员')),
                ('problems', models.TextField(blank=True, verbose_name='研判的问题')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间')),
            ],
            options={
                'verbose_name': '联席会商',
                'verbose_name_plural': '联席会商',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ConsultationProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('star', models.CharField(choices=[('branch', '支部过硬星'), ('industry', '产业兴旺星'), ('ecology', '生态宜居星'), ('safety', '平安法治星'), ('civility', '文明幸福星')], max_length=10, verbose_name='星')),
                ('text', models.TextField(verbose_name='推进情况')),
            ],
            options={
                'verbose_name': '分星推进情况',
                'verbose_name_plural': '分星推进情况',
                'ordering': ['consultation_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ContactVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='走访日期')),
                ('findings', models.TextField(verbose_name='发现情况')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间')),
            ],
            options={
                'verbose_name': '走访记录',
                'verbose_name_plural': '走访记录',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('grade', models.CharField(choices=[('excellent', '优秀'), ('competent', '称职'), ('basic', '基本称职'), ('incompetent', '不称职')], max_length=12, verbose_name='等次')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='评语')),
                ('days_present', models.PositiveSmallIntegerField(default=0, verbose_name='全年驻村天数')),
                ('reports_submitted', models.PositiveSmallIntegerField(default=0, verbose_name='提交月报数')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='评定时间')),
            ],
            options={
                'verbose_name': '年度考核',
                'verbose_name_plural': '年度考核',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='FirstSecretary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('gender', models.CharField(blank=True, choices=[('男', '男'), ('女', '女')], max_length=2, verbose_name='性别')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机号')),
                ('dispatch_unit', models.CharField(max_length=100, verbose_name='派出单位')),
                ('dispatch_level', models.CharField(choices=[('province', '省派'), ('city', '市派'), ('county', '县派')], max_length=10, verbose_name='派出层级')),
                ('position', models.CharField(blank=True, max_length=60, verbose_name='原单位职务')),
                ('term_start', models.DateField(verbose_name='任期开始')),
                ('term_end', models.DateField(blank=True, null=True, verbose_name='任期结束')),
                ('status', models.CharField(choices=[('serving', '在岗'), ('recalled', '召回'), ('ended', '期满离任')], default='serving', max_length=10, verbose_name='状态')),
                ('recall_reason', models.TextField(blank=True, verbose_name='召回原因')),
                ('recalled_at', models.DateTimeField(blank=True, null=True, verbose_name='召回时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '驻村第一书记',
                'verbose_name_plural': '驻村第一书记',
                'ordering': ['village__code', '-term_start'],
            },
        ),
        migrations.CreateModel(
            name='LeaveRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateField(verbose_name='开始日期')),
                ('end', models.DateField(verbose_name='结束日期')),
                ('reason', models.CharField(max_length=200, verbose_name='事由')),
                ('status', models.CharField(choices=[('requested', '待审批'), ('approved', '已批准'), ('refused', '未批准')], default='requested', max_length=10, verbose_name='状态')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('decision_note', models.CharField(blank=True, max_length=200, verbose_name='审批意见')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
            ],
            options={
                'verbose_name': '请假',
                'verbose_name_plural': '请假',
                'ordering': ['-start'],
            },
        ),
        migrations.CreateModel(
            name='MonthlyReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('month', models.PositiveSmallIntegerField(verbose_name='月份')),
                ('work_done', models.TextField(verbose_name='本月工作')),
                ('problems', models.TextField(blank=True, verbose_name='存在问题')),
                ('next_steps', models.TextField(blank=True, verbose_name='下步打算')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '已提交'), ('read', '已阅')], default='draft', max_length=10, verbose_name='状态')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅知时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '月度工作报告',
                'verbose_name_plural': '月度工作报告',
                'ordering': ['-year', '-month'],
            },
        ),
        migrations.CreateModel(
            name='Post',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('organisation', '县委组织部'), ('lead_department', '星级牵头部门'), ('township_staff', '乡镇专干'), ('village_secretary', '村党支部书记'), ('first_secretary', '驻村第一书记'), ('county_leader', '县级领导'), ('township_leader', '乡镇领导')], max_length=20, verbose_name='角色')),
                ('star', models.CharField(blank=True, choices=[('branch', '支部过硬星'), ('industry', '产业兴旺星'), ('ecology', '生态宜居星'), ('safety', '平安法治星'), ('civility', '文明幸福星')], default='', max_length=10, verbose_name='牵头星')),
                ('department', models.CharField(blank=True, help_text='如：农业农村局、政法委', max_length=60, verbose_name='部门名称')),
                ('is_active', models.BooleanField(default=True, verbose_name='在岗')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='任职开始')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='任职结束')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
            ],
            options={
                'verbose_name': '岗位',
                'verbose_name_plural': '岗位',
                'ordering': ['user_id', 'role'],
            },
        ),
        migrations.CreateModel(
            name='SignIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='日期')),
                ('time', models.TimeField(verbose_name='签到时间')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('photo', models.ImageField(blank=True, upload_to='sign_ins/%Y/%m/', verbose_name='照片')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
            ],
            options={
                'verbose_name': '驻村签到',
                'verbose_name_plural': '驻村签到',
                'ordering': ['-date'],
            },
        ),
        migrations.CreateModel(
            name='SpotCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='抽查日期')),
                ('present', models.BooleanField(verbose_name='在岗')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='情况说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
            ],
            options={
                'verbose_name': '在岗抽查',
                'verbose_name_plural': '在岗抽查',
                'ordering': ['-date'],
            },
        ),
        migrations.CreateModel(
            name='TaskForce',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('star', models.CharField(choices=[('branch', '支部过硬星'), ('industry', '产业兴旺星'), ('ecology', '生态宜居星'), ('safety', '平安法治星'), ('civility', '文明幸福星')], max_length=10, verbose_name='星')),
                ('lead_department', models.CharField(max_length=60, verbose_name='牵头部门')),
                ('member_units', models.TextField(blank=True, help_text='每行一个单位', verbose_name='成员单位')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '创星专班',
                'verbose_name_plural': '创星专班',
                'ordering': ['region__code', 'year', 'star'],
            },
        ),
        migrations.CreateModel(
            name='TaskForceMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('unit', models.CharField(blank=True, max_length=60, verbose_name='单位')),
                ('role', models.CharField(blank=True, default='成员', max_length=20, verbose_name='专班职务')),
            ],
            options={
                'verbose_name': '专班成员',
                'verbose_name_plural': '专班成员',
                'ordering': ['task_force_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WorkTeamMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='姓名')),
                ('unit', models.CharField(blank=True, max_length=100, verbose_name='派出单位')),
                ('role', models.CharField(blank=True, default='队员', max_length=40, verbose_name='队内职务')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机号')),
            ],
            options={
                'verbose_name': '工作队员',
                'verbose_name_plural': '工作队员',
                'ordering': ['first_secretary_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('full_name', models.CharField(blank=True, max_length=40, verbose_name='姓名')),
                ('phone', models.CharField(blank=True, max_length=20, verbose_name='手机号')),
                ('organisation', models.CharField(blank=True, max_length=100, verbose_name='工作单位')),
                ('must_change_password', models.BooleanField(default=False, help_text='使用一次性密码登录后，须先修改密码才能使用系统', verbose_name='须修改密码')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': '用户',
                'verbose_name_plural': '用户',
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='AccountEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('create', '创建账号'), ('update', '修改信息'), ('post_add', '新增岗位'), ('post_end', '结束岗位'), ('disable', '停用账号'), ('enable', '启用账号'), ('password_reset', '重置密码'), ('password_change', '本人修改密码'), ('import', '批量导入')], max_length=20, verbose_name='操作')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('before', models.JSONField(blank=True, default=dict, verbose_name='修改前')),
                ('after', models.JSONField(blank=True, default=dict, verbose_name='修改后')),
                ('actor', models.ForeignKey(blank=True, help_text='为空表示由系统命令执行', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='account_events', to=settings.AUTH_USER_MODEL, verbose_name='账号')),
            ],
            options={
                'verbose_name': '账号操作记录',
                'verbose_name_plural': '账号操作记录',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('duty', models.CharField(choices=[('contact', '分包联系'), ('group_leader', '责任组组长（包村干部）'), ('group_deputy', '责任组副组长'), ('group_member', '责任组成员')], max_length=15, verbose_name='职责')),
                ('tier', models.CharField(choices=[('county_leader', '县级领导'), ('org_staff', '组织部干部'), ('township_leader', '乡镇领导'), ('village_secretary', '村党支部书记'), ('member', '其他成员')], max_length=20, verbose_name='人员类别')),
                ('person_name', models.CharField(max_length=40, verbose_name='责任人')),
                ('person_title', models.CharField(blank=True, max_length=60, verbose_name='职务')),
                ('start_date', models.DateField(verbose_name='开始日期')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='登记时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人')),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='结束登记人')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL, verbose_name='责任人账号')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='villages.region', verbose_name='分包区划')),
            ],
            options={
                'verbose_name': '包联责任',
                'verbose_name_plural': '包联责任',
                'ordering': ['region__code', 'duty', 'start_date', 'id'],
            },
        ),
    ]
