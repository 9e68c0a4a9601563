"""Full-text search over projects: title, aim, problem, story log, and the text of every search source
that apps above register (openqi/projects/plugins.py).

Each project has one `SearchDocument` row, apart from the project's own row so that lists never read it.
On PostgreSQL its `vector` is a stored tsvector, weighted title A, aim B, problem C and the rest D, behind
a GIN index, and matched with `websearch_to_tsquery`; on SQLite an FTS5 table (migration 0003) indexes the
text with the project id as rowid. Both paths only ever narrow a queryset the caller already limited to
what the person may see, so search cannot reveal a project its reader may not open.

The index follows every save (signals, connected in ProjectsConfig.ready()); `rebuild_index` (the
`reindex` command) is the way back after a bulk load that skipped them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from openqi.projects import plugins
from openqi.projects.models import Project, SearchDocument

FTS_TABLE = "projects_project_fts"
CONFIG = "english"
# Title A, aim B, problem C, everything else D: a word in the title ranks a project above one that has it in
# the story log. Text and vector are written in one statement, so a re-index leaves one dead row version,
# not two (a bulk re-index would otherwise double the table until vacuum).
UPSERT_WEIGHTED = (
    "INSERT INTO projects_searchdocument (project_id, text, vector) VALUES (%s, %s, "
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C') || setweight(to_tsvector(%s::regconfig, %s), 'D')) "
    "ON CONFLICT (project_id) DO UPDATE SET text = EXCLUDED.text, vector = EXCLUDED.vector"
)


@dataclass(frozen=True)
class Document:
    """A project's searchable text in its weight classes."""

    title: str
    aim: str
    problem: str
    more: tuple[str, ...]

    def weighted(self) -> tuple[str, ...]:
        """(configuration, text) for weights A, B, C and D, as UPSERT_WEIGHTED takes them."""
        return (CONFIG, self.title, CONFIG, self.aim, CONFIG, self.problem, CONFIG, "\n".join(self.more))

    @property
    def text(self) -> str:
        return "\n".join(p for p in (self.title, self.aim, self.problem, *self.more) if p)


def document_for(project: Project) -> Document:
    """The project's own record, then the text every search source (story log, and apps above) gives."""
    more = tuple(text for source in plugins.search_sources for text in source.text(project) if text)
    return Document(project.title, project.aim_statement, project.problem, more)


def story_text(project: Project) -> Iterable[str]:
    return (f"{e.title}\n{e.text}" for e in project.story_entries.all())


def follow_saves(source: plugins.SearchSource) -> None:
    """Re-index a project whenever a row whose text `source` reads is saved or deleted. Connected per model
    the source names (ProjectsConfig.ready() watches the plug-in point), never for every sender: a
    post_delete receiver for every model would stop Django's fast deletes, so deleting a measure would
    load and signal each of its data points."""

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        project_id = source.project_of(instance)
        project = Project.objects.filter(pk=project_id).first() if project_id else None
        if project is not None:
            index_project(project)

    # Named by the source's text function and the model, so a ready() that runs twice connects nothing twice.
    name = f"{source.text.__module__}.{source.text.__qualname__}"
    for model in source.changes_with:
        uid = f"search:{name}:{model.__module__}.{model.__qualname__}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:saved")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:deleted")


def index_project(project: Project) -> None:
    if project.pk is not None:
        _write([(project.pk, document_for(project))])


def unindex_project(project_id: int) -> None:
    # The SearchDocument row goes with the project (CASCADE); the FTS5 table is no Django table.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [project_id])  # noqa: S608


def _write(documents: Sequence[tuple[int, Document]]) -> None:
    """Store the documents of these projects, in as few statements as the database allows."""
    if not documents:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT_WEIGHTED, [(pk, d.text, *d.weighted()) for pk, d in documents])
        return
    SearchDocument.objects.bulk_create(
        [SearchDocument(project_id=pk, text=document.text) for pk, document in documents],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["text"],
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            delete = f"DELETE FROM {FTS_TABLE} WHERE rowid = %s"  # noqa: S608
            cursor.executemany(delete, [(pk,) for pk, _ in documents])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, document) VALUES (%s, %s)",  # noqa: S608
                [(pk, d.text) for pk, d in documents],
            )


def _fts5_query(text: str) -> str:
    # Every word must appear, each as a prefix; quoting each word keeps FTS5 operators in the
    # person's text from being read as query syntax.
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def search(queryset: QuerySet[Project], text: str) -> QuerySet[Project]:
    """`queryset` narrowed to the projects whose text matches. The match is a subquery on the index, so
    the database finds the few matching ids first and never reads the text of the others."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.filter(pk__in=SearchDocument.objects.filter(vector=query).values("project_id"))
    if connection.vendor == "sqlite":
        match = _fts5_query(text)
        if not match:
            return queryset.none()
        # The person's words reach SQL only as a bound parameter.
        matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
        return queryset.filter(pk__in=matching)
    return queryset.filter(search_document__text__icontains=text)


def rebuild_index(
    project_ids: Iterable[int] | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild the search index of these projects, or of every project, in batches: the way back after a
    load that skipped the save signals (bulk_create, raw SQL). Each batch is one transaction, so search
    never sees a project half-indexed; `progress(done, total)` hears after each. Returns how many
    projects were indexed. A rebuild of every project also drops index rows left by projects deleted
    without their signal."""
    everything = project_ids is None
    ids = (
        list(Project.objects.order_by("pk").values_list("pk", flat=True))
        if project_ids is None
        else sorted(set(project_ids))
    )
    done = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A maintenance job, not a request: the per-statement budget of web requests does not apply.
            cursor.execute("SET statement_timeout = 0")
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with transaction.atomic():
            # One query for the projects and one for all their story entries, whatever the batch size.
            projects = list(Project.objects.filter(pk__in=batch).prefetch_related("story_entries"))
            _write([(project.pk, document_for(project)) for project in projects])
        done += len(projects)
        if progress is not None:
            progress(done, len(ids))
    if everything and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM {Project._meta.db_table})"  # noqa: S608
            )
    return done
