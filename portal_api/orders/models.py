from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel
from portal_api.common.status import StatusWorkflowModel


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    SUBMITTED = "submitted", _("Passée")
    CONFIRMED = "confirmed", _("Confirmée")
    DELIVERED = "delivered", _("Livrée")
    INVOICED = "invoiced", _("Facturée")
    CANCELLED = "cancelled", _("Annulée")


class Order(StatusWorkflowModel, TimeStampedModel):
    # The pipeline: each move is one service (orders/services.py, order_set_status).
    STATUS_MOVES = {
        OrderStatus.DRAFT: frozenset({OrderStatus.SUBMITTED, OrderStatus.CANCELLED}),
        OrderStatus.SUBMITTED: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
        OrderStatus.CONFIRMED: frozenset({OrderStatus.DELIVERED}),
        OrderStatus.DELIVERED: frozenset({OrderStatus.INVOICED}),
        OrderStatus.INVOICED: frozenset(),
        OrderStatus.CANCELLED: frozenset(),
    }

    number = models.CharField(_("numéro"), max_length=30, unique=True, null=True, blank=True)
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="orders",
        verbose_name=_("client"),
    )
    status = models.CharField(_("statut"), max_length=12, choices=OrderStatus.choices,
                              default=OrderStatus.DRAFT)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="orders_prepared", verbose_name=_("préparée par"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="orders_submitted", verbose_name=_("passée par"),
    )
    submitted_at = models.DateTimeField(_("passée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("livrée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    customer_reference = models.CharField(_("référence client"), max_length=60, blank=True)
    delivery_site = models.ForeignKey(
        "accounts.Site", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="orders", verbose_name=_("site de livraison"),
    )
    comment = models.TextField(_("commentaire"), blank=True)
    total_excl_tax = models.DecimalField(_("total HT"), max_digits=14, decimal_places=2,
                                         default=0)
    total_vat = models.DecimalField(_("total TVA"), max_digits=14, decimal_places=2, default=0)
    total_incl_tax = models.DecimalField(_("total TTC"), max_digits=14, decimal_places=2,
                                         default=0)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    # Set once the placement e-mails are sent, so that the task never sends them twice.
    placed_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client_account", "status", "-created_at"],
                         name="order_account_status_idx"),
            models.Index(fields=["client_account", "-submitted_at"], name="order_account_sub_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client_account", "idempotency_key"], name="order_idempotency_unique",
                condition=Q(idempotency_key__isnull=False),
            ),
            # A placed order always carries its number and who placed it.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="order_placed_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Commande en préparation n°%(id)s") % {"id": self.pk}


class OrderLine(models.Model):
    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines",
                              verbose_name=_("commande"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    article = models.ForeignKey("catalog.Article", on_delete=models.PROTECT,
                                related_name="order_lines", verbose_name=_("article"))
    label = models.CharField(_("désignation"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    # Frozen when the order is placed; null while it is a draft (the catalogue price applies).
    unit_price_excl_tax = models.DecimalField(_("prix unitaire HT"), max_digits=12,
                                              decimal_places=2, null=True, blank=True)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2,
                                   null=True, blank=True)
    # Set when the order is placed under the "backorder" stock policy: the part of the
    # quantity that the stock did not cover (not reserved) and the restock date announced.
    backordered_quantity = models.DecimalField(_("quantité en reliquat"), max_digits=12,
                                               decimal_places=3, default=0)
    restock_date = models.DateField(_("réapprovisionnement prévu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["order", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive",
                                   violation_error_message=_("La quantité doit être positive.")),
            models.CheckConstraint(
                condition=Q(unit_price_excl_tax__isnull=True) | Q(unit_price_excl_tax__gte=0),
                name="orderline_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(backordered_quantity__gte=0)
                & Q(backordered_quantity__lte=F("quantity")),
                name="orderline_backorder_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label or self.article_id}"

    @property
    def reserved_quantity(self):
        """What placing the order took from the available stock (the rest is back-ordered)."""
        return self.quantity - self.backordered_quantity
