from django.db import migrations


def create_fts(apps, schema_editor):  # type: ignore[no-untyped-def]
    # FTS5 exists only on SQLite; PostgreSQL searches the same document with tsvector at query time.
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS projects_project_fts USING fts5(document)")


def drop_fts(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS projects_project_fts")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_search_document")]
    operations = [migrations.RunPython(create_fts, drop_fts)]
