"""WSGI entry point for gunicorn: `gunicorn openqi.config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openqi.config.settings")
application = get_wsgi_application()
