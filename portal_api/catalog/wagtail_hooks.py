"""Back-office screens for the catalogue (« Catalogue » menu): families and articles, with
their visibility to clients and technicians and their stock."""

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal_api.common.admin_forms import (
    Cell,
    ChoiceColumn,
    MoneyColumn,
    PortalSnippetViewSet,
    QuantityColumn,
    ReadOnly,
    RelatedObjectsPanel,
    YesNoColumn,
)

from .admin_forms import ArticleAdminForm, ArticleFamilyAdminForm
from .models import Article, ArticleFamily

VISIBILITY_HELP = _(
    "Un article n'est visible d'une cible (clients, techniciens) que si sa famille et "
    "lui-même l'autorisent tous deux."
)


class ArticleFamilyViewSet(PortalSnippetViewSet):
    model = ArticleFamily
    icon = "folder-open-inverse"
    menu_label = _("Familles d'articles")
    list_display = [
        "name",
        Column("code", label=_("Code"), sort_key="code"),
        Column("position", label=_("Ordre"), sort_key="position"),
        Column("article_count", label=_("Articles"), sort_key="article_count"),
        YesNoColumn("visible_to_clients", label=_("Visible des clients")),
        YesNoColumn("visible_to_technicians", label=_("Visible des techniciens")),
    ]
    list_filter = ["visible_to_clients", "visible_to_technicians"]
    search_fields = ["code", "name"]
    ordering = ["position", "name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("name"), FieldPanel("position")]),
            MultiFieldPanel(
                [FieldPanel("visible_to_clients"), FieldPanel("visible_to_technicians")],
                heading=_("Visibilité"),
                help_text=VISIBILITY_HELP,
            ),
        ],
        base_form_class=ArticleFamilyAdminForm,
    )

    def get_queryset(self, request):
        return ArticleFamily.objects.annotate(article_count=Count("articles"))


class ArticleViewSet(PortalSnippetViewSet):
    model = Article
    icon = "tag"
    menu_label = _("Articles")
    list_display = [
        "reference",
        Column("label", label=_("Désignation"), sort_key="label", width="24%"),
        Column("family", label=_("Famille"), sort_key="family__name"),
        ChoiceColumn("kind", label=_("Type")),
        MoneyColumn("price_excl_tax", label=_("Prix HT")),
        QuantityColumn("stock_on_hand", label=_("Stock")),
        QuantityColumn("stock_reserved", label=_("Réservé")),
        QuantityColumn("available", label=_("Disponible")),
        YesNoColumn("visible_to_clients", label=_("Clients")),
        YesNoColumn("visible_to_technicians", label=_("Techniciens")),
        YesNoColumn("active", label=_("Actif")),
    ]
    list_filter = ["family", "kind", "visible_to_clients", "visible_to_technicians", "active"]
    search_fields = ["reference", "label", "description", "family__name"]
    ordering = "reference"
    inspect_view_fields = [
        "reference", "label", "family", "kind", "unit", "description", "price_excl_tax",
        "vat_rate", "track_stock", "stock_on_hand", "stock_reserved", "restock_date",
        "visible_to_clients",
        "visible_to_technicians", "active",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("reference"), FieldPanel("family")]),
                    FieldPanel("label"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
                ],
                heading=_("Article"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("price_excl_tax"), FieldPanel("vat_rate")])],
                heading=_("Prix"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("track_stock"),
                    FieldRowPanel([
                        FieldPanel("stock_on_hand"),
                        ReadOnly("stock_reserved", quantity=True,
                                 help_text=_("Réservé par les commandes passées non livrées.")),
                    ]),
                    FieldPanel("restock_date"),
                ],
                heading=_("Stock"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("visible_to_clients"),
                    FieldPanel("visible_to_technicians"),
                    FieldPanel("active"),
                ],
                heading=_("Visibilité"),
                help_text=VISIBILITY_HELP,
            ),
            RelatedObjectsPanel(
                "components",
                [
                    Cell(lambda c: c.component.reference, _("Référence")),
                    Cell(lambda c: c.component.label, _("Désignation")),
                    Cell("quantity", quantity=True),
                ],
                heading=_("Composants de l'ouvrage"),
                empty_text=_("Aucun composant (seuls les ouvrages en ont)."),
                select_related=["component"],
            ),
        ],
        base_form_class=ArticleAdminForm,
    )

    def get_queryset(self, request):
        return Article.objects.select_related("family").annotate(
            available=F("stock_on_hand") - F("stock_reserved")
        )


class CatalogGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "tag"
    menu_order = 230
    items = (ArticleFamilyViewSet, ArticleViewSet)


register_snippet(CatalogGroup)
