"""The web process freezes what it has loaded once warm, so full garbage collections stop walking it."""

from __future__ import annotations

import gc

from django.core.signals import request_finished


def test_the_worker_freezes_its_heap_once_warm() -> None:
    from openqi.config import wsgi

    try:
        wsgi._served = 0
        request_finished.connect(wsgi._freeze_when_warm)
        gc.unfreeze()
        # The handler itself, as each request's end calls it (sending the signal would also run Django's
        # other receivers, which close database connections).
        for _ in range(wsgi.WARM_AFTER_REQUESTS - 1):
            wsgi._freeze_when_warm(sender=None)
        assert gc.get_freeze_count() == 0
        wsgi._freeze_when_warm(sender=None)
        assert gc.get_freeze_count() > 0
        # Once: it has left the signal, so no later request pays for another freeze.
        assert request_finished.disconnect(wsgi._freeze_when_warm) is False
    finally:
        gc.unfreeze()
