from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal_api.common.storage import private_storage

from .blocks import BaseStreamBlock, HomeSpaceBlock

# Rights that can gate a portal page and its menu entry (rules permissions).
PAGE_PERMISSIONS = [
    ("catalog.browse_catalog", _("Consulter le catalogue")),
    ("orders.view_orders", _("Commandes")),
    ("billing.view_invoices", _("Factures")),
    ("documents.view_documents", _("Documents")),
    ("service.consult_equipment", _("Parc d'équipements")),
    ("service.view_tickets", _("Suivre les demandes d'intervention")),
    ("service.request_intervention", _("Demander une intervention")),
    ("service.consult_intervention", _("Suivre les interventions")),
    ("accounts.manage_contacts", _("Gérer les contacts")),
    ("accounts.manage_portal_users", _("Gérer les accès portail")),
    ("service.create_intervention", _("Créer une intervention (techniciens)")),
]


class PortalDocument(AbstractDocument):
    """Wagtail documents (procedures…) live in the private storage: they are only served by
    Wagtail's permission-checked view, as attachments, never by a public URL."""

    file = models.FileField(upload_to="documents", storage=private_storage,
                            verbose_name=_("fichier"))
    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class BasePortalPage(Page):
    """A page of the portal. `required_permission` hides it, and its menu entry, from users
    who lack that right (on top of the audience set by Wagtail's view restrictions)."""

    intro = StreamField(BaseStreamBlock(), blank=True, use_json_field=True,
                        verbose_name=_("contenu"))
    required_permission = models.CharField(
        _("droit requis"), max_length=60, blank=True, choices=PAGE_PERMISSIONS,
        help_text=_("Réserve la page (et son entrée de menu) aux utilisateurs ayant ce droit."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("required_permission")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        abstract = True

    def user_may_see(self, user) -> bool:
        return not self.required_permission or user.has_perm(self.required_permission)

    def serve(self, request, *args, **kwargs):
        if not self.user_may_see(request.user):
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)


class PortalHomePage(BasePortalPage):
    """The public home of the portal (the site root): what the portal offers to whom, and
    where to log in. Every word is in the page's fields, for editors to write and translate."""

    lead = models.TextField(_("accroche"), blank=True,
                            help_text=_("Une ou deux phrases sous le titre."))
    spaces = StreamField([("space", HomeSpaceBlock())], blank=True, use_json_field=True,
                         verbose_name=_("espaces du portail"))
    login_heading = models.CharField(_("titre de l'encadré de connexion"), max_length=120,
                                     blank=True)
    login_text = RichTextField(_("texte de l'encadré de connexion"), blank=True,
                               features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("spaces"),
        MultiFieldPanel([FieldPanel("login_heading"), FieldPanel("login_text")],
                        heading=_("Connexion")),
        FieldPanel("intro"),
    ]
    search_fields = [*BasePortalPage.search_fields, index.SearchField("lead"),
                     index.SearchField("spaces")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ExtranetHomePage", "cms.IntranetHomePage", "cms.StandardPage",
                     "cms.ProcedureIndexPage", "cms.SearchPage"]
    max_count = 1
    template = "cms/portal_home_page.html"

    class Meta:
        verbose_name = _("accueil du portail")

    def route(self, request, path_components):
        """Wagtail routes a request through the home of the visitor's language; a page not
        (yet) translated into it is served from the default language's tree rather than
        missing."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = self.get_translation_or_none(Locale.get_default())
            if default is None or default.pk == self.pk:
                raise
            return default.specific.route(request, path_components)


class ExtranetHomePage(BasePortalPage):
    """Home of the client extranet (/espace-client/), for the "Clients" group."""

    parent_page_types = ["cms.PortalHomePage"]
    subpage_types = ["cms.StandardPage", "cms.PortalPage", "cms.ProcedureIndexPage"]
    max_count = 1
    template = "cms/extranet_home_page.html"

    class Meta:
        verbose_name = _("accueil de l'espace client")


class IntranetHomePage(BasePortalPage):
    """Home of the technicians' intranet (/intranet/), for the "Techniciens" group."""

    parent_page_types = ["cms.PortalHomePage"]
    subpage_types = ["cms.StandardPage", "cms.PortalPage", "cms.ProcedureIndexPage"]
    max_count = 1
    template = "cms/intranet_home_page.html"

    class Meta:
        verbose_name = _("accueil de l'intranet")


class StandardPage(BasePortalPage):
    """A static page of complementary information."""

    parent_page_types = ["cms.PortalHomePage", "cms.ExtranetHomePage", "cms.IntranetHomePage",
                         "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("page statique")


class PortalPage(BasePortalPage):
    """A page composed of portal widgets (orders, invoices, interventions…) with text around
    them."""

    parent_page_types = ["cms.ExtranetHomePage", "cms.IntranetHomePage", "cms.PortalPage"]
    subpage_types = ["cms.PortalPage"]
    template = "cms/portal_page.html"

    class Meta:
        verbose_name = _("page de portail (widgets)")


@register_snippet
class ProcedureCategory(TranslatableMixin, models.Model):
    """Translatable: a procedure page in English points to the English category (the
    translation tool swaps the link), so the library's headings follow the page's language."""

    name = models.CharField(_("nom"), max_length=120)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    panels = [FieldPanel("name"), FieldPanel("position")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("catégorie de procédures")
        verbose_name_plural = _("catégories de procédures")
        ordering = ["position", "name"]
        unique_together = [("translation_key", "locale"), ("name", "locale")]

    def __str__(self) -> str:
        return self.name


class ProcedureIndexPage(BasePortalPage):
    """The procedure library: procedures grouped by category, searchable."""

    parent_page_types = ["cms.PortalHomePage", "cms.ExtranetHomePage", "cms.IntranetHomePage"]
    subpage_types = ["cms.ProcedurePage"]
    template = "cms/procedure_index_page.html"

    class Meta:
        verbose_name = _("bibliothèque de procédures")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        procedures = (ProcedurePage.objects.live().child_of(self)
                      .select_related("category").order_by("category__position", "title"))
        query = request.GET.get("q", "").strip()
        if query:
            ids = [p.pk for p in ProcedurePage.objects.live().child_of(self).search(query)]
            procedures = procedures.filter(pk__in=ids)
        groups: dict = {}
        for procedure in procedures:
            groups.setdefault(procedure.category, []).append(procedure)
        context.update(query=query, groups=list(groups.items()),
                       count=sum(len(v) for v in groups.values()))
        return context


class ProcedurePage(BasePortalPage):
    """A procedure with its downloadable documents, a summary and a revision date."""

    category = models.ForeignKey(ProcedureCategory, on_delete=models.PROTECT,
                                 related_name="procedures", verbose_name=_("catégorie"))
    summary = models.TextField(_("résumé"), max_length=600)
    revision_date = models.DateField(_("date de révision"))

    parent_page_types = ["cms.ProcedureIndexPage"]
    subpage_types: list[str] = []
    template = "cms/procedure_page.html"
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("category"), FieldPanel("revision_date"),
                         FieldPanel("summary")], heading=_("Procédure")),
        InlinePanel("documents", label=_("Documents à télécharger"), min_num=1),
        FieldPanel("intro"),
    ]
    search_fields = [
        *BasePortalPage.search_fields,
        index.SearchField("summary"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("procédure")


class ProcedureDocument(TranslatableMixin, Orderable):
    """A download of a procedure; translatable so that its label is translated with the page
    (the file itself is shared by the translations)."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "cms.PortalDocument", on_delete=models.CASCADE, related_name="procedure_links",
        verbose_name=_("document"),
    )
    label = models.CharField(_("libellé"), max_length=150, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("document de procédure")


class SearchPage(Page):
    """Site search over pages and procedures, showing only what the user may see."""

    parent_page_types = ["cms.PortalHomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "cms/search_page.html"

    class Meta:
        verbose_name = _("page de recherche")

    def get_context(self, request, *args, **kwargs):
        from .selectors import page_search

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()
        context["query"] = query
        context["results"] = page_search(user=request.user, query=query) if query else []
        return context


class FooterLinkBlock(blocks.StructBlock):
    """A link of the footer: to a page (shown with its title, in the visitor's language, to
    its translation), or to an address with a label."""

    page = blocks.PageChooserBlock(label=_("page"), required=False)
    label = blocks.CharBlock(label=_("libellé"), required=False,
                             help_text=_("Pour une adresse. Une page s'affiche avec son titre "
                                         "dans la langue du visiteur."))
    url = blocks.CharBlock(label=_("adresse (URL ou chemin)"), required=False)

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks.struct_block import StructBlockValidationError

        value = super().clean(value)
        if value.get("page") is None:
            errors = {name: ValidationError(_("Choisissez une page, ou indiquez une adresse et "
                                              "son libellé."))
                      for name in ("label", "url") if not value.get(name)}
            if errors:
                raise StructBlockValidationError(block_errors=errors)
        return value


# What an invoice says when the company has written nothing else (business documents are
# French whatever the reader's language, hence no gettext).
DEFAULT_PAYMENT_TERMS = "Règlement par virement bancaire ou par chèque."
DEFAULT_LATE_PENALTY_RATE = "3 fois le taux d'intérêt légal en vigueur"
DEFAULT_DISCOUNT_TERMS = "Pas d'escompte pour paiement anticipé."


@register_setting(icon="pick")
class BrandingSettings(BaseGenericSetting):
    """The company's branding, used by every page (and the PDFs)."""

    company_name = models.CharField(_("nom de l'entreprise"), max_length=120,
                                    default="Atelier Services")
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("logo"))
    primary_color = models.CharField(_("couleur principale"), max_length=7, default="#0b5cad",
                                     help_text=_("Code hexadécimal, ex. #0b5cad"))
    accent_color = models.CharField(_("couleur d'accent"), max_length=7, default="#f59e0b")
    address = models.TextField(_("adresse"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("n° TVA intracommunautaire"), max_length=20, blank=True)
    # The issuer's legal identity and terms, as every invoice must state them (Code de
    # commerce L441-9, CGI 242 nonies A). Empty fields are left out of the PDFs.
    legal_form = models.CharField(_("forme juridique"), max_length=60, blank=True,
                                  help_text=_("ex. SAS, SARL, EURL"))
    share_capital = models.DecimalField(_("capital social (€)"), max_digits=14,
                                        decimal_places=2, null=True, blank=True)
    rcs = models.CharField(_("immatriculation (RCS ou RM)"), max_length=80, blank=True,
                           help_text=_("Ville du greffe et numéro, ex. RCS Lyon 812 345 678"))
    payment_terms = models.CharField(
        _("modalités de paiement"), max_length=255, blank=True,
        default=DEFAULT_PAYMENT_TERMS,
        help_text=_("Moyens de règlement acceptés ; le délai vient de l'échéance de chaque "
                    "facture."))
    late_penalty_rate = models.CharField(
        _("taux des pénalités de retard"), max_length=120, blank=True,
        default=DEFAULT_LATE_PENALTY_RATE,
        help_text=_("Laissé vide : 3 fois le taux d'intérêt légal (minimum légal)."))
    discount_terms = models.CharField(
        _("conditions d'escompte"), max_length=255, blank=True,
        default=DEFAULT_DISCOUNT_TERMS,
        help_text=_("Laissé vide : pas d'escompte pour paiement anticipé."))
    legal_mentions = RichTextField(_("mentions légales"), blank=True,
                                   features=["bold", "italic", "link"])
    footer_links = StreamField([("link", FooterLinkBlock())], blank=True,
                               use_json_field=True, verbose_name=_("liens du pied de page"))

    panels = [
        MultiFieldPanel([FieldPanel("company_name"), FieldPanel("logo"),
                         FieldPanel("primary_color"), FieldPanel("accent_color")],
                        heading=_("Identité")),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"),
                         FieldPanel("siret"), FieldPanel("vat_number")],
                        heading=_("Coordonnées")),
        MultiFieldPanel([FieldPanel("legal_form"), FieldPanel("share_capital"),
                         FieldPanel("rcs"), FieldPanel("payment_terms"),
                         FieldPanel("late_penalty_rate"), FieldPanel("discount_terms")],
                        heading=_("Mentions des factures")),
        FieldPanel("legal_mentions"),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = _("image de marque")

    def clean(self):
        import re

        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        for field in ("primary_color", "accent_color"):
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", getattr(self, field) or ""):
                errors[field] = _("Indiquez une couleur au format #RRGGBB.")
        if self.siret and not re.fullmatch(r"[0-9]{14}", self.siret):
            errors["siret"] = _("Le SIRET doit comporter 14 chiffres.")
        if self.share_capital is not None and self.share_capital < 0:
            errors["share_capital"] = _("Le capital ne peut être négatif.")
        if errors:
            raise ValidationError(errors)
