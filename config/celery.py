import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("atelier_portal")
# Every CELERY_* Django setting configures the app (serialiser, acks_late, time limits, eager
# mode without a broker).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
