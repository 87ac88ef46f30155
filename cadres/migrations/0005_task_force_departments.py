"""A county's list of departments and units; a task force's member units are picked from it.

The member units typed so far (one a line) become the county's departments, in the order first
met, each task force linked to its own; the task forces' lead departments join the list too."""

import django.db.models.deletion
from django.db import migrations, models


def _names(text):
    return [line.strip()[:60] for line in text.replace("、", "\n").splitlines() if line.strip()]


def typed_units_to_departments(apps, schema_editor):
    Department = apps.get_model("cadres", "Department")
    TaskForce = apps.get_model("cadres", "TaskForce")
    Region = apps.get_model("villages", "Region")
    listed = {}  # (county id, name) -> department
    for force in TaskForce.objects.order_by("region__code", "year", "star", "star_kind", "pk"):
        region = Region.objects.get(pk=force.region_id)
        county_id = region.pk if region.level == "county" else region.parent_id
        units = []
        for name in _names(force.lead_department) + _names(force.member_units):
            key = (county_id, name)
            if key not in listed:
                order = sum(1 for c, _n in listed if c == county_id) + 1
                listed[key] = Department.objects.create(county_id=county_id, name=name, order=order)
            if name in _names(force.member_units):
                units.append(listed[key])
        force.member_departments.set(units)


def departments_to_typed_units(apps, schema_editor):
    TaskForce = apps.get_model("cadres", "TaskForce")
    for force in TaskForce.objects.all():
        force.member_units = "\n".join(d.name for d in force.member_departments.order_by("order", "name"))
        force.save(update_fields=["member_units"])


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0004_campaign_links_declared_by_the_campaign'),
        ('villages', '0002_region_start_month'),
    ]

    operations = [
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('county', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='departments', to='villages.region', verbose_name='所属县')),
            ],
            options={
                'verbose_name': '部门和单位',
                'verbose_name_plural': '部门和单位',
                'ordering': ['county_id', 'order', 'name'],
            },
        ),
        migrations.AddField(
            model_name='taskforce',
            name='member_departments',
            field=models.ManyToManyField(blank=True, related_name='task_forces', to='cadres.department', verbose_name='成员单位'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(fields=('county', 'name'), name='department_name_unique_in_county'),
        ),
        migrations.RunPython(typed_units_to_departments, departments_to_typed_units),
        migrations.RemoveField(
            model_name='taskforce',
            name='member_units',
        ),
    ]
