# Strategic priorities now belong to organisations (organisations 0004): only the migration state changes;
# the table and the projects' many-to-many table stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_strategicpriority"),
        ("projects", "0004_versioned_drivers_ideas_tasks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="project",
                    name="priorities",
                    field=models.ManyToManyField(
                        blank=True, related_name="projects", to="organisations.strategicpriority"
                    ),
                ),
                migrations.DeleteModel(name="StrategicPriority"),
            ],
            database_operations=[],
        ),
    ]
