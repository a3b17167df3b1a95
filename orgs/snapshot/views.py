"""``/downloads/``: the snapshots, and the latest one rebuilt when the atlas changed since."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from eurasia.cache import atlas_version
from orgs.selectors.feed import atlas_last_modified

from .build import LATEST, NAME, snapshot_folder, snapshot_list, snapshot_write

REBUILD_LOCK = "snapshot:rebuilding"


def snapshot_latest():
    """The latest snapshot, written again first when the atlas changed after it was made."""
    latest = snapshot_folder() / LATEST
    changed = atlas_last_modified(atlas_version())
    made = (
        datetime.datetime.fromtimestamp(latest.stat().st_mtime, tz=datetime.UTC)
        if latest.exists()
        else None
    )
    stale = made is None or (changed is not None and changed > made)
    # One rebuild at a time; the others serve the file there is (if any) meanwhile.
    if stale and cache.add(REBUILD_LOCK, 1, timeout=300):
        try:
            snapshot_write()
        finally:
            cache.delete(REBUILD_LOCK)
    if not latest.exists():
        raise Http404(_("No snapshot yet: try again in a minute."))
    return latest


@require_safe
def downloads(request):
    snapshot_latest()
    snapshots = [
        {"name": path.name, "day": NAME.match(path.name)[1], "size": path.stat().st_size}
        for path in snapshot_list()
    ]
    return render(request, "orgs/downloads.html", {"snapshots": snapshots, "latest": LATEST})


@require_safe
def download(request, name):
    if name == LATEST:
        path = snapshot_latest()
    elif NAME.match(name):
        path = snapshot_folder() / name
    else:
        raise Http404(_("No such snapshot."))
    if not path.exists():
        raise Http404(_("No such snapshot."))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/zip"
    return response
