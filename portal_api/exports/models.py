"""Background exports: one ExportJob per long .xlsx export or invoice ZIP a user asked for.

The job carries what the worker needs to build the file again from scratch (the list, the
user's query parameters, his language), its progress (rows written / total, written by the
worker at least every two seconds) and, once done, the stored file: a Document of kind
"export" reserved to that user."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel


class ExportKind(models.TextChoices):
    XLSX = "xlsx", _("Liste au format Excel")
    INVOICE_ZIP = "invoice_zip", _("Factures PDF d'une période (ZIP)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


class ExportJob(TimeStampedModel):
    """`updated_at` doubles as the worker's heartbeat: a running job whose heartbeat is older
    than settings.EXPORT_STALE_SECONDS was abandoned by a worker that died."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="export_jobs", verbose_name=_("demandé par"))
    kind = models.CharField(_("type"), max_length=16, choices=ExportKind.choices,
                            default=ExportKind.XLSX)
    # The exported list: its ExportableList.name (common/exportable.py), e.g. "commandes".
    list_name = models.CharField(_("liste"), max_length=60)
    # The query parameters of the list as the user sent them: {name: [values]}.
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    status = models.CharField(_("statut"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.PENDING, db_index=True)
    total = models.PositiveIntegerField(_("lignes à écrire"), default=0)
    written = models.PositiveIntegerField(_("lignes écrites"), default=0)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    # One job, at most one file; the file going away (retention) takes the job with it.
    document = models.OneToOneField("documents.Document", on_delete=models.CASCADE, null=True,
                                    blank=True, related_name="export_job",
                                    verbose_name=_("fichier"))
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(document__isnull=False),
                name="exportjob_done_has_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.list_name} #{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """0–100, from the rows written; 100 once done."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.written * 100 // self.total)
