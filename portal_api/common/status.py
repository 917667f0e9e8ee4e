"""Statuses move through the services only.

Each model with a workflow (order, invoice, request, intervention) declares its pipeline once,
``STATUS_MOVES``: a status → the statuses it may move to. Each move is one service (its checks,
its reason, its e-mails, its timeline step), and the services make their writes inside
``status_move()``. Anywhere else, saving an instance whose status changed since it was loaded,
creating one in another status than the initial one, or ``QuerySet.update(status=...)`` raises
``StatusGuardError``: a programming error (a code path that skipped its service), never a
user's. Inside a move, a change that is not in the pipeline raises too.

The ``*_set_status`` services (one per entity, for the admin's buttons and the API) check the
move with ``status_move_check`` and hand it to the move's own service.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext as _

_moving: ContextVar[bool] = ContextVar("status_move", default=False)
_UNKNOWN = object()  # a status not loaded (deferred field)


class StatusGuardError(RuntimeError):
    """A status written outside its service, or a move its pipeline does not have."""


@contextmanager
def status_move() -> Iterator[None]:
    """The services' status writes happen inside it (a context manager or a decorator).
    Test factories open it too, to build objects in any status."""
    token = _moving.set(True)
    try:
        yield
    finally:
        _moving.reset(token)


def status_move_open() -> bool:
    return _moving.get()


class StatusQuerySet(models.QuerySet):
    """``update(status=...)`` only inside a status move, and only from statuses the pipeline
    lets reach the new one (``bulk_update`` goes through ``update`` too)."""

    def update(self, **kwargs):
        if "status" in kwargs:
            self._check_status_update(kwargs["status"])
        return super().update(**kwargs)

    def _check_status_update(self, status) -> None:
        model = self.model
        if not status_move_open():
            raise StatusGuardError(
                f"{model.__name__}: update(status=…) outside a status move; use the "
                f"{model._meta.model_name}'s services."
            )
        if not isinstance(status, str):  # an expression (bulk_update): the caller's business
            return
        sources = [old for old, targets in model.STATUS_MOVES.items() if status in targets]
        wrong = (self.exclude(status=status).exclude(status__in=sources)
                 .values_list("status", flat=True).distinct())
        wrong = sorted(wrong)
        if wrong:
            raise StatusGuardError(
                f"{model.__name__}: no move from {wrong} to {status!r} in STATUS_MOVES."
            )


class StatusWorkflowModel(models.Model):
    """A model whose ``status`` field moves along ``STATUS_MOVES``, through its services."""

    #: status → the statuses it may move to (the pipeline, declared once per model).
    STATUS_MOVES: ClassVar[dict[str, frozenset[str]]] = {}

    objects = StatusQuerySet.as_manager()

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the database holds (for an instance read from it), to see a change on save.
        self._loaded_status = self.__dict__.get("status", _UNKNOWN)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        writes_status = update_fields is None or "status" in update_fields
        if writes_status:
            self._check_status_write()
        super().save(*args, **kwargs)
        if writes_status:
            self._loaded_status = self.status

    @classmethod
    def initial_status(cls) -> str:
        return cls._meta.get_field("status").get_default()

    @classmethod
    def status_label(cls, status: str) -> str:
        return str(dict(cls._meta.get_field("status").flatchoices).get(status, status))

    def allowed_next_statuses(self) -> frozenset[str]:
        """The statuses this object may move to now (the admin's buttons)."""
        return self.STATUS_MOVES.get(self.status, frozenset())

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            self._loaded_status = self.__dict__.get("status", _UNKNOWN)

    def _check_status_write(self) -> None:
        name = type(self).__name__
        if self._state.adding:
            if self.status == self.initial_status() or status_move_open():
                return
            raise StatusGuardError(
                f"{name} created in status {self.status!r} outside a status move; create it "
                f"in {self.initial_status()!r} or through its services."
            )
        old = getattr(self, "_loaded_status", _UNKNOWN)
        if old == self.status:
            return
        if not status_move_open():
            raise StatusGuardError(
                f"{name} {self.pk}: status {old if old is not _UNKNOWN else '?'!r} → "
                f"{self.status!r} written outside a status move; use its services."
            )
        if old is not _UNKNOWN and self.status not in self.STATUS_MOVES.get(old, ()):
            raise StatusGuardError(
                f"{name} {self.pk}: no move {old!r} → {self.status!r} in STATUS_MOVES."
            )


def status_move_check(instance: StatusWorkflowModel, status: str) -> None:
    """Refuse a move its pipeline does not have: an unknown status is a 400 on ``status``, a
    move not in ``STATUS_MOVES`` (or to the current status) a 409 naming both statuses."""
    # Imported here: the models import this module, and errors.py imports DRF's views.
    from .errors import ServiceError

    model = type(instance)
    if status not in dict(model._meta.get_field("status").flatchoices):
        message = _("Statut inconnu : « %(status)s ».") % {"status": status}
        raise ServiceError(message, code="invalid", fields={"status": [message]})
    labels = {"object": str(instance), "old": model.status_label(instance.status),
              "new": model.status_label(status)}
    if status == instance.status:
        raise ServiceError(_("%(object)s est déjà au statut « %(old)s ».") % labels,
                           code="status_unchanged", status_code=409)
    if status not in model.STATUS_MOVES.get(instance.status, ()):
        raise ServiceError(
            _("%(object)s ne peut pas passer du statut « %(old)s » au statut « %(new)s ».")
            % labels,
            code="status_move_refused", status_code=409,
        )
