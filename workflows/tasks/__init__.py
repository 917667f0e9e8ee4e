"""Celery tasks, one module per domain. Every module of this package is imported here so that
Celery's autodiscovery (which imports `workflows.tasks`) registers them all."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

from .documents import document_fill_metadata_task  # noqa: E402

__all__ = ["document_fill_metadata_task"]
