"""Imports too large for one request, run by the task worker (``manage.py db_worker``).

The admin's import page hands a file of more than ``SYNC_IMPORT_ROWS`` rows (up to
``MAX_IMPORT_ROWS``) to ``start_import_job`` and shows the job's page. The job imports the file
exactly as the admin would (the same resource, validation and review rules) in one
transaction: one bad row and nothing is written, the job listing every problem with its line.
An Editor's changes to published records become one change set for review, as in the admin.

While the transaction runs its writes are invisible to other connections, and on SQLite it
holds the database's only write lock, so how far the job got is kept in the cache
(``progress_cache``), not in the job's row; the row gets the final count when the job ends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from orgs.models import ImportJob

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# How often a running job says how far it got, in rows.
PROGRESS_EVERY = 250

_file_cache: BaseCache | None = None


def progress_cache() -> BaseCache:
    """A cache the web server and the worker share: the site's cache when it is Redis; a
    directory of files otherwise (local memory is private to one process)."""
    global _file_cache
    cache = caches["default"]
    if not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return cache
    if _file_cache is None:
        location = os.path.join(tempfile.gettempdir(), "eurasia-import-progress")
        _file_cache = FileBasedCache(location, {"TIMEOUT": 24 * 3600})
    return _file_cache


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:rows-done"


def report_progress(job_id: int, rows_done: int) -> None:
    progress_cache().set(_progress_key(job_id), rows_done, timeout=24 * 3600)


def rows_done(job: ImportJob) -> int:
    """How many rows ``job`` has read: the cache's count while it runs, its own once ended."""
    if job.state == ImportJob.State.RUNNING:
        counted = progress_cache().get(_progress_key(job.pk))
        if isinstance(counted, int):
            return max(counted, job.rows_done)
    return job.rows_done


def start_import_job(
    *, user: User, kind: str, file_name: str, file_format: str, content: bytes, rows_total: int
) -> ImportJob:
    """Keep the file as a job and queue it for the worker."""
    job = ImportJob.objects.create(
        user=user,
        kind=kind,
        file_name=file_name[:255],
        file_format=file_format,
        content=content,
        rows_total=rows_total,
    )
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@task()
def run_import_job(job_id: int) -> str:
    """The worker's task: import the job's file, all rows or none. Returns the job's state."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state != ImportJob.State.QUEUED:
        return str(job.state)  # run already (a task retried after a worker was stopped)
    job.state = ImportJob.State.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    report_progress(job.pk, 0)
    try:
        with readers_not_blocked(), transaction.atomic():
            _import(job)
    except Exception as error:  # the job's page must say it stopped, whatever stopped it
        logger.exception("Import job %s stopped", job.pk)
        job.state = ImportJob.State.FAILED
        job.problems = [
            {
                "line": None,
                "column": "",
                "message": f"The import stopped ({type(error).__name__}: {error}); nothing was "
                "imported.",
            }
        ]
    job.finished_at = timezone.now()
    job.save(
        update_fields=["state", "rows_total", "rows_done", "totals", "problems", "finished_at"]
    )
    report_progress(job.pk, job.rows_done)
    return str(job.state)


@contextlib.contextmanager
def readers_not_blocked() -> Iterator[None]:
    """On SQLite, keep the job's writes in memory until it commits (up to 256 MiB), so the
    pages, and the job's own page, read the database meanwhile: once a writer spills its changes
    into the file before committing, SQLite locks every reader out until it commits."""
    connection = transaction.get_connection()
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _import(job: ImportJob) -> None:
    """Import inside the caller's transaction; on any problem leave nothing written."""
    from orgs.admin.imports import RESOURCES, read_import_file  # the admin's own resources

    dataset = read_import_file(job.file_format, bytes(job.content))
    job.rows_total = dataset.height
    resource: Any = RESOURCES[job.kind]()  # django-import-export is untyped
    done = 0

    def progressed(**kwargs: Any) -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            report_progress(job.pk, done)

    resource.row_imported = progressed
    result = resource.import_data(
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=True,
        file_name=job.file_name,
        user=job.user,
    )
    job.rows_done = done
    job.totals = {kind: count for kind, count in result.totals.items() if count}
    job.problems = [
        {"line": problem.line, "column": problem.column, "message": problem.message}
        for problem in result.problems
    ]
    if job.problems or result.has_errors() or result.has_validation_errors():
        job.state = ImportJob.State.FAILED
        transaction.set_rollback(True)
        return
    job.state = ImportJob.State.DONE
    job.change_sets.set(result.change_sets)
