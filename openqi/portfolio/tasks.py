"""The portfolio's background work: the signal scan (daily from cron via `manage.py signal_scan`, and on
demand from the dashboard) and making a QI forum pack (docs/adr/0025-portfolio-and-reporting.md)."""

from __future__ import annotations

from openqi.core.tasks import background_task
from openqi.portfolio import forum, scan
from openqi.portfolio.models import ForumPack, RunStatus, SignalScan


# One try: a scan fails only on a bug; tomorrow's scan (or the next on-demand one) runs anyway.
@background_task(label="Signal scan of every measure")
def scan_measures(*, organisation_id: int, scan_id: int) -> int:
    """Run the waiting scan; the number of measures it analysed."""
    waiting = SignalScan.objects.filter(
        pk=scan_id, organisation_id=organisation_id, status=RunStatus.QUEUED
    ).first()
    if waiting is None:
        return 0
    return scan.run_scan(waiting).measures_scanned


# One try: a pack fails only on a bug; the page offers to make it again.
@background_task(label="QI forum pack")
def make_forum_pack(*, organisation_id: int, pack_id: int) -> str:
    pack = ForumPack.objects.filter(pk=pack_id, organisation_id=organisation_id).first()
    if pack is None:
        return "deleted"
    forum.build_pack(pack)
    return "made"
