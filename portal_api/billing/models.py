from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel
from portal_api.common.status import StatusWorkflowModel


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ISSUED = "issued", _("Émise")
    PAID = "paid", _("Payée")
    OVERDUE = "overdue", _("En retard")


class Invoice(StatusWorkflowModel, TimeStampedModel):
    """An invoice. Its number (FA-YYYY-NNNNN) is given when it is issued, from a gapless
    sequence per year, and never reused."""

    # The pipeline: each move is one service (billing/services.py, invoice_set_status).
    STATUS_MOVES = {
        InvoiceStatus.DRAFT: frozenset({InvoiceStatus.ISSUED}),
        InvoiceStatus.ISSUED: frozenset({InvoiceStatus.PAID, InvoiceStatus.OVERDUE}),
        InvoiceStatus.OVERDUE: frozenset({InvoiceStatus.PAID}),
        InvoiceStatus.PAID: frozenset(),
    }

    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="invoices",
        verbose_name=_("client"),
    )
    number = models.CharField(_("numéro"), max_length=30, unique=True, null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("exercice"), null=True, blank=True, editable=False)
    sequence = models.PositiveIntegerField(_("rang"), null=True, blank=True, editable=False)
    status = models.CharField(_("statut"), max_length=10, choices=InvoiceStatus.choices,
                              default=InvoiceStatus.DRAFT)
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="invoices", verbose_name=_("commande"))
    intervention = models.ForeignKey(
        "service.Intervention", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="invoices", verbose_name=_("intervention"),
    )
    issue_date = models.DateField(_("date de facture"), null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    paid_at = models.DateField(_("payée le"), null=True, blank=True)
    total_excl_tax = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2,
                                         default=0)
    total_vat = models.DecimalField(_("total TVA"), max_digits=14, decimal_places=2, default=0)
    total_incl_tax = models.DecimalField(_("total TTC"), max_digits=14, decimal_places=2,
                                         default=0)
    pdf = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True,
                            blank=True, related_name="+", verbose_name=_("PDF"))

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issue_date", "-sequence"]
        indexes = [
            models.Index(fields=["client_account", "status", "-issue_date"],
                         name="invoice_account_status_idx"),
            models.Index(fields=["client_account", "-issue_date"], name="invoice_account_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"],
                                    name="invoice_year_sequence_unique"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(number__isnull=False, year__isnull=False, sequence__isnull=False,
                    issue_date__isnull=False, due_date__isnull=False),
                name="invoice_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("issue_date")),
                name="invoice_due_after_issue",
                violation_error_message=_("L'échéance ne peut précéder la date de facture."),
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Facture brouillon n°%(id)s") % {"id": self.pk}


class InvoiceLine(models.Model):
    wagtail_reference_index_ignore = True

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines",
                                verbose_name=_("facture"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    article = models.ForeignKey("catalog.Article", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("article"))
    label = models.CharField(_("désignation"), max_length=255)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit_price_excl_tax = models.DecimalField(_("prix unitaire HT"), max_digits=12,
                                              decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    total_excl_tax = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="invoiceline_quantity_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label}"


class Contract(TimeStampedModel):
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="contracts",
        verbose_name=_("client"),
    )
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    annual_amount_excl_tax = models.DecimalField(_("montant annuel HT"), max_digits=12,
                                                 decimal_places=2, default=0)
    visits_per_year = models.PositiveSmallIntegerField(_("visites par an"), default=1)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="contract_end_after_start",
                violation_error_message=_("La fin du contrat ne peut précéder son début."),
            ),
            models.CheckConstraint(condition=Q(annual_amount_excl_tax__gte=0),
                                   name="contract_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"
