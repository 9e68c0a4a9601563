# Strategic priorities move from projects to organisations (the organisation configures them; projects
# only choose them). The table keeps its name, so no data moves: only Django's idea of the owner changes,
# and the audit trail and content types follow the new label.

import django.db.models.deletion
from django.db import migrations, models


def relabel(apps, schema_editor, old="projects", new="organisations"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType.objects.filter(app_label=old, model="strategicpriority").update(app_label=new)
    AuditEvent.objects.filter(object_type=f"{old}.strategicpriority").update(
        object_type=f"{new}.strategicpriority"
    )


def relabel_back(apps, schema_editor):
    relabel(apps, schema_editor, old="organisations", new="projects")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_auditevent_project_id_alter_auditevent_action"),
        ("organisations", "0003_membership_is_guest"),
        ("projects", "0004_versioned_drivers_ideas_tasks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StrategicPriority",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120)),
                        ("is_active", models.BooleanField(default=True)),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="priorities",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={"db_table": "projects_strategicpriority", "ordering": ["name"]},
                ),
                migrations.AddConstraint(
                    model_name="strategicpriority",
                    constraint=models.UniqueConstraint(fields=("organisation", "name"), name="priority_unique_name"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]
