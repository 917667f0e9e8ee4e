from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel
from portal_api.common.storage import private_storage


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contrat")
    ORDER = "order", _("Commande")
    INVOICE = "invoice", _("Facture")
    INTERVENTION_REPORT = "intervention_report", _("Bon d'intervention")
    PHOTO = "photo", _("Photo")
    ATTACHMENT = "attachment", _("Pièce jointe")
    RECEIPT = "receipt", _("Justificatif de frais")
    EXPORT = "export", _("Export")
    OTHER = "other", _("Autre")


class Document(TimeStampedModel):
    """A stored file of the GED. Files live in the private storage: they are only served by
    views that check the selector and the rule."""

    title = models.CharField(_("titre"), max_length=255)
    # The document's own date (an invoice's issue date, an order's placement, a report's
    # signature, a contract's start), set by the service that stores it: the lists show and
    # sort by it, not by when the file happened to be generated.
    document_date = models.DateField(_("date du document"), default=timezone.localdate,
                                     db_index=True)
    kind = models.CharField(_("type"), max_length=24, choices=DocumentKind.choices,
                            default=DocumentKind.OTHER)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="ged/%Y/%m/")
    content_type = models.CharField(_("type de contenu"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, null=True, blank=True,
        related_name="documents", verbose_name=_("client"),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("déposé par"))
    # Only this user may download it (exports); empty for company documents.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              blank=True, related_name="private_documents",
                              verbose_name=_("réservé à"))
    related_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("rattaché à (type)"))
    related_id = models.PositiveBigIntegerField(_("rattaché à (id)"), null=True, blank=True)
    related_object = GenericForeignKey("related_type", "related_id")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents (GED)")
        ordering = ["-document_date", "-created_at"]
        indexes = [
            models.Index(fields=["client_account", "kind", "-created_at"],
                         name="document_account_kind_idx"),
            models.Index(fields=["client_account", "-document_date", "-created_at"],
                         name="document_account_date_idx"),
            models.Index(fields=["related_type", "related_id"], name="document_related_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(related_type__isnull=True, related_id__isnull=True)
                | Q(related_type__isnull=False, related_id__isnull=False),
                name="document_related_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.title
