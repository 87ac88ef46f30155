from django.db import migrations


def content_type_to_config(apps, schema_editor):
    """The job runs' content type (and so its permissions) follows the model to config."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="config", model="jobrun").exists():
        ContentType.objects.filter(app_label="ratings", model="jobrun").update(app_label="config")


def content_type_to_ratings(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="ratings", model="jobrun").exists():
        ContentType.objects.filter(app_label="config", model="jobrun").update(app_label="ratings")


class Migration(migrations.Migration):
    """The job runs are config's now (config 0003): gone from the ratings app's state only, their
    table (ratings_jobrun) and rows stay as they are."""

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ratings', '0005_job_run_worker_and_partial'),
        ('config', '0003_job_runs'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='JobRun',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_config, content_type_to_ratings),
    ]
