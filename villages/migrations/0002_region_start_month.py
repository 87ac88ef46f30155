
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('villages', '0001_regions'),
    ]

    operations = [
        migrations.AddField(
            model_name='region',
            name='start_month',
            field=models.DateField(blank=True, help_text='县（区）开始使用本平台的月份；此前各月不预警、不排名、不发通报', null=True, verbose_name='起始月份'),
        ),
    ]
