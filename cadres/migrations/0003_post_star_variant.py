
from django.db import migrations, models


def lead_posts_review_rural_stars(apps, schema_editor):
    """Posts made before stars had a variant reviewed the rural star (its code)."""
    apps.get_model("cadres", "Post").objects.exclude(star="").update(star_kind="rural")


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0002_people_links'),
        ('villages', '0002_region_start_month'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='post',
            name='post_unique_active_per_user',
        ),
        migrations.AddField(
            model_name='post',
            name='star_kind',
            field=models.CharField(blank=True, choices=[('rural', '行政村'), ('urban', '城市社区')], default='', max_length=5, verbose_name='牵头星类别'),
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('user', 'role', 'region', 'star', 'star_kind'), name='post_unique_active_per_user'),
        ),
        migrations.RemoveConstraint(
            model_name='taskforce',
            name='task_force_one_per_star',
        ),
        migrations.AddField(
            model_name='taskforce',
            name='star_kind',
            field=models.CharField(choices=[('rural', '行政村'), ('urban', '城市社区')], default='rural', max_length=5, verbose_name='星类别'),
        ),
        migrations.AddConstraint(
            model_name='taskforce',
            constraint=models.UniqueConstraint(fields=('region', 'year', 'star', 'star_kind'), name='task_force_one_per_star'),
        ),
    
        migrations.RunPython(lead_posts_review_rural_stars, migrations.RunPython.noop),
    ]
