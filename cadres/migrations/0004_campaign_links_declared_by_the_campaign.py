from django.db import migrations


class Migration(migrations.Migration):
    """A visit's problems and a consultation's measures are campaign task items: the links are
    declared by the campaign now (ratings 0006, on ChecklistItem), over the same tables; gone from
    these models' state only, nothing is written to the database."""

    dependencies = [
        ('cadres', '0003_post_star_variant'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='consultation',
                    name='measures',
                ),
                migrations.RemoveField(
                    model_name='contactvisit',
                    name='problems',
                ),
            ],
            database_operations=[],
        ),
    ]
