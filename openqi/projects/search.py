"""Full-text search over projects: title, aim, problem and story log.

Each project keeps one `search_document`. On SQLite an FTS5 table (created by migration 0002) indexes it
with the project id as rowid; on PostgreSQL the document is matched with `websearch_to_tsquery`. Both
paths only ever narrow a queryset the caller already limited to what the person may see, so search
cannot reveal a project its reader may not open.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet

from openqi.projects.models import Project

FTS_TABLE = "projects_project_fts"


def document_for(project: Project) -> str:
    parts = [project.title, project.aim_statement, project.problem]
    parts += [f"{e.title}\n{e.text}" for e in project.story_entries.all()]
    return "\n".join(p for p in parts if p)


def index_project(project: Project) -> None:
    if project.pk is None:
        return
    document = document_for(project)
    Project.objects.filter(pk=project.pk).update(search_document=document)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [project.pk])  # noqa: S608
            insert = f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (%s, %s)"  # noqa: S608
            cursor.execute(insert, [project.pk, document])


def unindex_project(project_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [project_id])  # noqa: S608


def _fts5_query(text: str) -> str:
    # Every word must appear, each as a prefix; quoting each word keeps FTS5 operators in the
    # person's text from being read as query syntax.
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def search(queryset: QuerySet[Project], text: str) -> QuerySet[Project]:
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(_search=SearchVector("search_document", config="english")).filter(
            _search=SearchQuery(text, config="english", search_type="websearch")
        )
    if connection.vendor == "sqlite":
        query = _fts5_query(text)
        if not query:
            return queryset.none()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query])  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
        return queryset.filter(pk__in=ids)
    return queryset.filter(search_document__icontains=text)
