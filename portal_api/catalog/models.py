from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel


class ArticleFamily(TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    visible_to_clients = models.BooleanField(_("visible des clients"), default=True)
    visible_to_technicians = models.BooleanField(_("visible des techniciens"), default=True)

    class Meta:
        verbose_name = _("famille d'articles")
        verbose_name_plural = _("familles d'articles")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ArticleKind(models.TextChoices):
    PRODUCT = "product", _("Fourniture")
    LABOUR = "labour", _("Main-d'œuvre")
    BUNDLE = "bundle", _("Ouvrage")


class Unit(models.TextChoices):
    PIECE = "u", _("unité")
    HOUR = "h", _("heure")
    METRE = "m", _("mètre")
    SQUARE_METRE = "m2", _("m²")
    KILOGRAM = "kg", _("kg")
    LITRE = "l", _("litre")
    FLAT = "forfait", _("forfait")


class Article(TimeStampedModel):
    family = models.ForeignKey(
        ArticleFamily, on_delete=models.PROTECT, related_name="articles",
        verbose_name=_("famille"),
    )
    reference = models.CharField(_("référence"), max_length=40, unique=True)
    label = models.CharField(_("désignation"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=ArticleKind.choices,
                            default=ArticleKind.PRODUCT)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    price_excl_tax = models.DecimalField(_("prix HT"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2,
                                   default=20)
    stock_on_hand = models.DecimalField(_("stock physique"), max_digits=12, decimal_places=3,
                                        default=0)
    stock_reserved = models.DecimalField(_("stock réservé"), max_digits=12, decimal_places=3,
                                         default=0)
    track_stock = models.BooleanField(
        _("gérer le stock"), default=True,
        help_text=_("Décocher pour la main-d'œuvre et les ouvrages."),
    )
    # Announced to clients when they order more than is available and the portal takes
    # back-orders (ORDER_STOCK_POLICY = "backorder"); frozen on the order lines it concerns.
    restock_date = models.DateField(
        _("réapprovisionnement prévu le"), null=True, blank=True,
        help_text=_("Date prévue d'arrivée du prochain réapprovisionnement, annoncée aux "
                    "clients pour les quantités commandées au-delà du stock."),
    )
    visible_to_clients = models.BooleanField(_("visible des clients"), default=True)
    visible_to_technicians = models.BooleanField(_("visible des techniciens"), default=True)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["family", "reference"], name="article_family_ref_idx"),
            models.Index(fields=["label"], name="article_label_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_excl_tax__gte=0), name="article_price_not_negative",
                violation_error_message=_("Le prix ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=100), name="article_vat_rate_range",
                violation_error_message=_("Le taux de TVA doit être compris entre 0 et 100."),
            ),
            models.CheckConstraint(
                condition=Q(stock_on_hand__gte=0), name="article_stock_on_hand_not_negative",
                violation_error_message=_("Le stock physique ne peut pas être négatif."),
            ),
            models.CheckConstraint(
                condition=Q(stock_reserved__gte=0) & Q(stock_reserved__lte=F("stock_on_hand")),
                name="article_stock_reserved_within_on_hand",
                violation_error_message=_(
                    "Le stock réservé doit être positif et ne pas dépasser le stock physique."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.label}"

    @property
    def stock_available(self):
        return self.stock_on_hand - self.stock_reserved


class BundleComponent(models.Model):
    """A line of an ouvrage (bundle): an article or labour with its quantity."""

    wagtail_reference_index_ignore = True

    bundle = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="components",
                               verbose_name=_("ouvrage"))
    component = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="used_in",
                                  verbose_name=_("composant"))
    quantity = models.DecimalField(_("quantité"), max_digits=10, decimal_places=3, default=1)

    class Meta:
        verbose_name = _("composant d'ouvrage")
        verbose_name_plural = _("composants d'ouvrage")
        constraints = [
            models.UniqueConstraint(fields=["bundle", "component"], name="bundle_component_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="bundle_component_qty_pos"),
            models.CheckConstraint(condition=~Q(bundle=F("component")),
                                   name="bundle_component_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.component}"
