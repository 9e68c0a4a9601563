# The search text moves out of the project row into its own table (lists never read it), and PostgreSQL gets
# a stored, weighted tsvector with a GIN index instead of building one for every row at query time.

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def copy_text(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    SearchDocument = apps.get_model("projects", "SearchDocument")
    rows = Project.objects.values_list("pk", "search_document").iterator(chunk_size=500)
    batch = []
    for pk, text in rows:
        batch.append(SearchDocument(project_id=pk, text=text or ""))
        if len(batch) == 500:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    if schema_editor.connection.vendor == "postgresql":
        # Title, aim and problem are not kept apart in the old text: weigh it all as D until `reindex`
        # (or the next save of each project) writes the weighted vector.
        schema_editor.execute(
            "UPDATE projects_searchdocument SET vector = to_tsvector('english', text)"
        )


def copy_text_back(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    SearchDocument = apps.get_model("projects", "SearchDocument")
    for document in SearchDocument.objects.iterator(chunk_size=500):
        Project.objects.filter(pk=document.project_id).update(search_document=document.text)


def gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS projects_searchdocument_vector_gin "
            "ON projects_searchdocument USING gin (vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS projects_searchdocument_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_strategicpriority_moved")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="projects.project",
                    ),
                ),
                ("text", models.TextField(blank=True)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
        migrations.RunPython(copy_text, copy_text_back),
        migrations.RemoveField(model_name="project", name="search_document"),
        migrations.RunPython(gin_index, drop_gin_index),
    ]
