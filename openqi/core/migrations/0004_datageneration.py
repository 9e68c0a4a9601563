from django.db import migrations, models

SEQUENCE = "openqi_data_generation_seq"


def create_sequence(apps, schema_editor):
    # PostgreSQL keeps the generation in a sequence: not transactional, so writers never wait on it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_cacheentry")]

    # The sequence first: once the table exists, writes move the generation on (openqi.core.generation).
    operations = [
        migrations.RunPython(create_sequence, drop_sequence),
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "openqi_data_generation"},
        ),
    ]
