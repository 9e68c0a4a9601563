"""WSGI entry point for gunicorn: `gunicorn openqi.config.wsgi`."""

import gc
import os
from typing import Any

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqi.config.settings")
application = get_wsgi_application()

# What a worker has loaded once it is warm (Django, the apps, the URLconf, the compiled templates of the
# pages it served) lives as long as the process. Frozen, the garbage collector stops walking it at every
# full collection: in a warm worker each took 80-190 ms, which showed as pauses of 200 ms at the 99th
# percentile on pages that take 10. Frozen once at start and again once warm; compiling every template at
# start instead would add seconds to each worker's boot.
WARM_AFTER_REQUESTS = 200
gc.freeze()
_served = 0


def _freeze_when_warm(sender: Any, **kwargs: Any) -> None:
    global _served
    _served += 1
    if _served >= WARM_AFTER_REQUESTS:
        request_finished.disconnect(_freeze_when_warm)
        gc.freeze()


request_finished.connect(_freeze_when_warm)
