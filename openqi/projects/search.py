"""Full-text search over projects: title, aim, problem and story log.

Each project keeps one `search_document`. On SQLite an FTS5 table (created by migration 0002) indexes it
with the project id as rowid; on PostgreSQL the document is matched with `websearch_to_tsquery`. Both
paths only ever narrow a queryset the caller already limited to what the person may see, so search
cannot reveal a project its reader may not open.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from openqi.projects import plugins
from openqi.projects.models import Project

FTS_TABLE = "projects_project_fts"


def document_for(project: Project) -> str:
    """The project's own record, then the text every search source (story log, and apps above) gives."""
    parts = [project.title, project.aim_statement, project.problem]
    for source in plugins.search_sources:
        parts += list(source.text(project))
    return "\n".join(p for p in parts if p)


def story_text(project: Project) -> Iterable[str]:
    return (f"{e.title}\n{e.text}" for e in project.story_entries.all())


def reindex_after_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A save or delete of a row whose text a search source reads: re-index its project. Connected for
    every sender (sources register after this app is ready), so it returns at once for other models."""
    for source in plugins.search_sources:
        if sender in source.changes_with:
            project_id = source.project_of(instance)
            project = Project.objects.filter(pk=project_id).first() if project_id else None
            if project is not None:
                index_project(project)
            return


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


def rebuild_index(
    project_ids: Iterable[int] | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild the search index of these projects, or of every project, in batches: the way back after a
    load that skipped the save signals (bulk_create, raw SQL). Each batch is one transaction, so search
    never sees a project half-indexed; `progress(done, total)` hears after each. Returns how many
    projects were indexed. Ids of projects that no longer exist lose their index rows; a rebuild of
    every project also drops rows left by projects deleted without their signal."""
    everything = project_ids is None
    ids = (
        list(Project.objects.order_by("pk").values_list("pk", flat=True))
        if project_ids is None
        else sorted(set(project_ids))
    )
    done = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            # One query for the projects and one for all their story entries, whatever the batch size.
            projects = list(Project.objects.filter(pk__in=batch).prefetch_related("story_entries"))
            for project in projects:
                project.search_document = document_for(project)
            Project.objects.bulk_update(projects, ["search_document"], batch_size=batch_size)
            if connection.vendor == "sqlite":
                _rewrite_fts_rows(batch, projects)
        done += len(projects)
        if progress is not None:
            progress(done, len(ids))
    if everything and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM {Project._meta.db_table})"  # noqa: S608
            )
    return done


def _rewrite_fts_rows(ids: list[int], projects: list[Project]) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in ids])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (%s, %s)",  # noqa: S608
            [(p.pk, p.search_document) for p in projects],
        )
