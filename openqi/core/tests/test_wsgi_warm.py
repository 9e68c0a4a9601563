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
        for _ in range(wsgi.WARM_AFTER_REQUESTS - 1):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == 0
        request_finished.send(sender=None)
        assert gc.get_freeze_count() > 0
        # Once: the handler is gone, so no later request pays for another freeze.
        gc.unfreeze()
        for _ in range(wsgi.WARM_AFTER_REQUESTS):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
