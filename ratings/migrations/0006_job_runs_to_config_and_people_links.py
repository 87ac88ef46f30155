from django.db import migrations, models


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
    """State only, nothing moves in the database:

    1. the job runs are config's now (config 0003): gone from this app's state, their table
       (ratings_jobrun) and rows stay as they are;
    2. a task item declares the contact visit that raised it and the joint consultation that
       decided it (cadres 0004 drops them from the people's models), over the link tables the
       people's models created (cadres_contactvisit_problems, cadres_consultation_measures). Those
       tables keep their unique index on (visit or consultation, item), the same pairs as the
       (item, visit or consultation) a new table would get.
    """

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cadres', '0004_campaign_links_declared_by_the_campaign'),
        ('config', '0003_job_runs'),
        ('ratings', '0005_job_run_worker_and_partial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='JobRun',
                ),
                migrations.AddField(
                    model_name='checklistitem',
                    name='consultations',
                    field=models.ManyToManyField(blank=True, db_table='cadres_consultation_measures', related_name='measures', to='cadres.consultation', verbose_name='议定措施的会商'),
                ),
                migrations.AddField(
                    model_name='checklistitem',
                    name='visits',
                    field=models.ManyToManyField(blank=True, db_table='cadres_contactvisit_problems', related_name='problems', to='cadres.contactvisit', verbose_name='提出问题的走访'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_config, content_type_to_ratings),
    ]
