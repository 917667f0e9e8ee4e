from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import DraftStateMixin, Locale, Page, PageViewRestriction, Site

from portal_api.accounts.signals import CLIENTS_GROUP, TECHNICIANS_GROUP

from .models import ExtranetHomePage, IntranetHomePage, PortalHomePage, ProcedureCategory


def _restrict_to(page: Page, group_name: str) -> None:
    group, _ = Group.objects.get_or_create(name=group_name)
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])


# What the public home page says until an editor rewrites it (fields of PortalHomePage, so
# that it is edited, and translated, in the admin).
HOME_CONTENT = {
    "lead": "Le portail de nos clients et de nos techniciens : vos commandes, vos factures et "
            "vos interventions, en ligne, à toute heure, sur ordinateur comme sur téléphone.",
    "spaces": [
        ("space", {
            "audience": "clients", "title": "Espace client",
            "text": "Pour les entreprises clientes : chaque utilisateur y voit ce que ses droits "
                    "lui ouvrent.",
            "features": [
                "Catalogue avec le stock disponible en temps réel",
                "Commandes en préparation, passées et suivies jusqu'à la livraison",
                "Factures et documents (contrats, bons de commande, bons d'intervention) "
                "à télécharger",
                "Demandes d'intervention avec photos et suivi des interventions",
                "Parc d'équipements, contrats de maintenance et exports Excel",
            ],
            "link_label": "Accéder à l'espace client", "link_url": "/espace-client/",
        }),
        ("space", {
            "audience": "technicians", "title": "Intranet techniciens",
            "text": "Pour nos techniciens, sur le terrain comme à l'atelier.",
            "features": [
                "Tableau de bord LivePilot de la journée et de la semaine",
                "Interventions du jour, filtrées par client, statut ou période",
                "Bon d'intervention sur téléphone : heures, relevé, articles, frais, photos",
                "Signature du client sur l'écran et bon PDF aussitôt disponible",
            ],
            "link_label": "Accéder à l'intranet", "link_url": "/intranet/",
        }),
    ],
    "login_heading": "Comment se connecter ?",
    "login_text": "<p>Connectez-vous avec l'adresse e-mail et le mot de passe de votre accès "
                  "portail : vous arrivez directement dans votre espace. Pas encore d'accès ? "
                  "Le gestionnaire du portail de votre société peut vous inviter, ou "
                  "demandez-le à votre interlocuteur habituel.</p>",
}


@transaction.atomic
def portal_pages_ensure() -> PortalHomePage:
    """Create the portal's page tree if it is missing: the public home as the default site's
    root, the extranet home (/espace-client/, clients only) and the intranet home
    (/intranet/, technicians only), each with the "me" widget. Existing pages are kept as
    editors left them."""
    home = PortalHomePage.objects.first()
    if home is None:
        # Wagtail's migrations create the locale and the tree's root; a flushed database
        # (transactional tests) has neither.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(
            settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = root.add_child(instance=PortalHomePage(
            title="Bienvenue sur votre portail", slug="accueil", **HOME_CONTENT))
        # Wagtail's own welcome page is replaced by ours as the site root.
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home,
                                is_default_site=True, site_name="Atelier Portal")
        else:
            site.root_page = home
            site.site_name = "Atelier Portal"
            site.save()
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    if not ExtranetHomePage.objects.exists():
        extranet = home.add_child(instance=ExtranetHomePage(
            title="Espace client", slug="espace-client",
            intro=[("dashboard", {"title": "", "area": "client"}),
                   ("me", {"title": "Mon compte"})],
        ))
        _restrict_to(extranet, CLIENTS_GROUP)
    if not IntranetHomePage.objects.exists():
        intranet = home.add_child(instance=IntranetHomePage(
            title="Intranet techniciens", slug="intranet",
            intro=[("dashboard", {"title": "", "area": "technician"}),
                   ("me", {"title": "Mon profil"})],
        ))
        _restrict_to(intranet, TECHNICIANS_GROUP)
    return home


PROCEDURES = [
    # (audience, category, title, summary, warning, steps)
    ("clients", "Vos équipements", "Purger un radiateur",
     "Retirer l'air d'un radiateur qui chauffe mal en haut, sans outil spécial.",
     "Laissez refroidir le radiateur avant d'ouvrir la vis de purge.",
     ["Arrêtez le chauffage et laissez refroidir.", "Placez un chiffon sous la vis de purge.",
      "Ouvrez la vis d'un quart de tour avec une clé de purge.",
      "Refermez dès que l'eau coule sans bulles.",
      "Vérifiez la pression de la chaudière (1 à 1,5 bar) et complétez si besoin."]),
    ("clients", "Vos équipements", "Relever le compteur d'une chaudière",
     "Lire et transmettre le relevé d'heures de fonctionnement de votre chaudière.", "",
     ["Ouvrez le menu « Informations » de la chaudière.",
      "Notez le nombre d'heures brûleur.",
      "Transmettez-le lors de votre demande d'intervention."]),
    ("clients", "Utiliser le portail", "Demander une intervention",
     "Les informations à réunir pour une demande traitée au plus vite.", "",
     ["Repérez le numéro de série sur la plaque signalétique.",
      "Décrivez le symptôme et depuis quand il se produit.",
      "Joignez une photo du code erreur affiché.",
      "Cochez « urgent » seulement en cas d'arrêt complet ou de danger."]),
    ("technicians", "Sécurité", "Consignation électrique avant intervention",
     "Séparer, condamner, identifier et vérifier l'absence de tension avant tout travail.",
     "Port des EPI obligatoire : gants isolants et écran facial.",
     ["Séparer l'ouvrage de toute source d'énergie.", "Condamner l'organe de séparation.",
      "Identifier l'ouvrage consigné.", "Vérifier l'absence de tension (VAT).",
      "Mettre à la terre et en court-circuit si nécessaire."]),
    ("technicians", "Maintenance", "Entretien annuel d'une chaudière gaz",
     "Le déroulé de la visite d'entretien réglementaire et les mesures à consigner.",
     "Contrôlez l'étanchéité du circuit gaz avant remise en service.",
     ["Contrôle visuel et nettoyage du corps de chauffe.",
      "Nettoyage du brûleur et contrôle des électrodes.",
      "Mesure CO et tirage ; consigner les valeurs sur le bon.",
      "Contrôle des organes de sécurité.", "Remise de l'attestation d'entretien au client."]),
    ("technicians", "Maintenance", "Mise en service d'une pompe à chaleur",
     "Contrôles et réglages à la première mise en route d'une PAC air/eau.", "",
     ["Vérifier le raccordement hydraulique et la pression.",
      "Contrôler le sens de rotation et l'alimentation électrique.",
      "Paramétrer la loi d'eau selon le bâtiment.",
      "Relever les températures départ et retour après 30 minutes."]),
]


# The extranet's portal pages, in menu order: (slug, title, right, blocks, children).
EXTRANET_WIDGET_PAGES = [
    ("catalogue", "Catalogue", "catalog.browse_catalog",
     [("catalogue", {"title": "", "order_page": "/espace-client/commandes/commande/"})], []),
    ("commandes", "Commandes", "orders.view_orders",
     [("orders", {"title": "", "order_page": "/espace-client/commandes/commande/",
                  "exportable": True})],
     [("commande", "Commande", "orders.view_orders",
       [("order_draft", {"title": "", "catalogue_page": "/espace-client/catalogue/",
                         "list_page": "/espace-client/commandes/"})])]),
    ("factures", "Factures", "billing.view_invoices",
     [("invoices", {"title": "", "exportable": True})], []),
    ("documents", "Documents", "documents.view_documents", [("documents", {"title": ""})], []),
    ("equipements", "Équipements", "service.consult_equipment",
     [("equipment", {"title": ""})], []),
    ("demandes", "Demandes d'intervention", "service.view_tickets",
     [("ticket_list", {"title": "", "request_page": "/espace-client/demandes/nouvelle/"})],
     [("nouvelle", "Nouvelle demande", "service.request_intervention",
       [("ticket_request", {"title": "", "list_page": "/espace-client/demandes/"})])]),
    ("interventions", "Interventions", "service.consult_intervention",
     [("interventions", {"title": "", "exportable": True})], []),
    ("contacts", "Contacts", "", [("contacts", {"title": ""})], []),
    ("collegues", "Collègues", "accounts.manage_portal_users", [("colleagues", {"title": ""})],
     []),
    ("mon-compte", "Mon compte", "",
     [("account", {"title": ""}), ("me", {"title": "Mes droits"})], []),
]


# The intranet's portal pages (technicians, phone first), same shape.
INTRANET_WIDGET_PAGES = [
    ("interventions", "Mes interventions", "service.consult_intervention",
     [("technician_interventions", {"title": "", "sheet_page": "/intranet/interventions/fiche/",
                                    "create_page": "/intranet/interventions/nouvelle/",
                                    "exportable": True})],
     [("fiche", "Fiche d'intervention", "service.consult_intervention",
       [("intervention_sheet", {"title": "", "list_page": "/intranet/interventions/"})]),
      ("nouvelle", "Nouvelle intervention", "service.create_intervention",
       [("intervention_create", {"title": "",
                                 "sheet_page": "/intranet/interventions/fiche/"})])]),
]


def _widget_pages(area, pages) -> None:
    """The pages holding an area's widgets; each hidden from users without its right."""
    from .models import PortalPage

    def add(parent, slug, title, right, body, in_menu):
        return parent.add_child(instance=PortalPage(
            title=title, slug=slug, show_in_menus=in_menu, required_permission=right,
            intro=body,
        ))

    for slug, title, right, body, children in pages:
        page = add(area, slug, title, right, body, True)
        for child_slug, child_title, child_right, child_body in children:
            add(page, child_slug, child_title, child_right, child_body, False)


def _collection(name: str, group_name: str):
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
    group, _ = Group.objects.get_or_create(name=group_name)
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([group])
    return collection


@transaction.atomic
def portal_content_ensure() -> None:
    """The demo content an editor would otherwise write: static pages, the search
    page, the "Mon compte" portal page, and a procedure library in each area with
    downloadable PDF procedures rendered now (WeasyPrint). Does nothing where it exists."""
    import datetime

    from django.core.files.base import ContentFile

    from workflows.renderers import render_pdf

    from .models import (
        BrandingSettings,
        PortalDocument,
        ProcedureCategory,
        ProcedureDocument,
        ProcedureIndexPage,
        ProcedurePage,
        SearchPage,
        StandardPage,
    )

    home = portal_pages_ensure()
    if not home.spaces and not home.lead:  # a home page created before it had content
        for field, value in HOME_CONTENT.items():
            setattr(home, field, value)
        home.intro = []
        home.save()
    extranet = ExtranetHomePage.objects.get(locale=home.locale)
    intranet = IntranetHomePage.objects.get(locale=home.locale)
    if ProcedureIndexPage.objects.exists():
        return

    # The company's identity is the demo builder's first step (portal_api/common/demo.py),
    # written before any invoice or report PDF is rendered.
    brand = BrandingSettings.load()

    home.add_child(instance=SearchPage(title="Rechercher", slug="recherche"))
    legal = home.add_child(instance=StandardPage(
        title="Mentions légales", slug="mentions-legales",
        intro=[("paragraph", "<p>Éditeur : Atelier Services SAS, 12 rue des Artisans, 69007 "
                             "Lyon. Hébergement : serveurs de l'entreprise.</p>")],
    ))
    # A page link: the footer shows it in the visitor's language (the e-mail address is
    # already in the footer).
    brand.footer_links = [("link", {"page": legal, "label": "", "url": ""})]
    brand.save()
    _widget_pages(extranet, EXTRANET_WIDGET_PAGES)
    _widget_pages(intranet, INTRANET_WIDGET_PAGES)
    extranet.add_child(instance=StandardPage(
        title="Conditions d'intervention", slug="conditions-intervention", show_in_menus=True,
        intro=[("heading", "Nos engagements"),
               ("paragraph", "<p>Intervention sous 24 h ouvrées pour une demande urgente, "
                             "sous 5 jours ouvrés sinon.</p>"),
               ("callout", {"tone": "info",
                            "text": "<p>Astreinte le week-end pour les contrats Premium.</p>"})],
    ))
    intranet.add_child(instance=StandardPage(
        title="Consignes de sécurité", slug="consignes-securite", show_in_menus=True,
        intro=[("paragraph", "<p>EPI obligatoires sur tout chantier. En cas d'accident, "
                             "appelez le 112 puis le responsable d'astreinte.</p>")],
    ))
    libraries = {
        "clients": extranet.add_child(instance=ProcedureIndexPage(
            title="Procédures et notices", slug="procedures", show_in_menus=True)),
        "technicians": intranet.add_child(instance=ProcedureIndexPage(
            title="Procédures techniques", slug="procedures", show_in_menus=True)),
    }
    collections = {
        "clients": _collection("Procédures clients", CLIENTS_GROUP),
        "technicians": _collection("Procédures techniciens", TECHNICIANS_GROUP),
    }
    revision = datetime.date(2026, 9, 1)
    for position, (audience, category_name, title, summary, warning, steps) in enumerate(
        PROCEDURES, start=1
    ):
        category, _ = ProcedureCategory.objects.get_or_create(name=category_name,
                                                              locale=Locale.get_default())
        reference = f"PROC-{position:03d}"
        pdf = render_pdf(template="pdf/procedure.html", context={
            "title": title, "summary": summary, "warning": warning, "steps": steps,
            "category": category_name, "revision_date": revision, "reference": reference,
            "company_name": brand.company_name, "primary_color": brand.primary_color,
        })
        document = PortalDocument(title=title, collection=collections[audience])
        document.file.save(f"{reference.lower()}.pdf", ContentFile(pdf), save=False)
        document.save()
        procedure = ProcedurePage(title=title, summary=summary, category=category,
                                  revision_date=revision)
        procedure.documents.add(ProcedureDocument(document=document, label=f"{title} (PDF)"))
        libraries[audience].add_child(instance=procedure)


# --- Translations ----------------------------------------------------------------------------
# Pages (and procedure categories) are translated the way editors translate them in the admin:
# wagtail-localize extracts each one's strings (title, slug, every text of the StreamField),
# a translation is given for each, and the translated page is built from them, in its own
# tree. The editor's later "Sync translated pages" keeps these translations.


def portal_locales_ensure() -> Locale:
    """The content languages as Wagtail locales; LANGUAGE_CODE's (French) is the default. The
    other languages follow it: a page an editor creates in French appears at once in their
    trees (as an alias, in French) until it is translated."""
    from wagtail_localize.models import LocaleSynchronization

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default = Locale.get_default()
    for locale in Locale.objects.exclude(pk=default.pk):
        LocaleSynchronization.objects.get_or_create(locale=locale,
                                                    defaults={"sync_from": default})
    return default


def _string_is_kept(text: str, context_path: str) -> bool:
    """Strings that are the same in every language: slugs (a translation keeps its page's
    address, see config/settings/base.py) and links (paths, e-mail addresses)."""
    return context_path == "slug" or text.startswith(("/", "mailto:", "http://", "https://"))


@transaction.atomic
def object_translate(*, obj, locale: Locale, strings: dict[str, str], user=None):
    """Translate a page or a translatable snippet into `locale` with wagtail-localize, the
    admin's own tool: each of its strings gets the translation `strings` gives (source text →
    translated text), slugs and links are kept. A string missing from `strings` stays in the
    source language (the editor finds it untranslated in the admin). The parents of a page
    must be translated first. Returns the translated object."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    # As stored: an instance still in memory may hold other StreamField block ids than the
    # saved row that the translation is copied from.
    obj = (Page.objects.get(pk=obj.pk).specific if isinstance(obj, Page)
           else type(obj).objects.get(pk=obj.pk))
    source, _created = TranslationSource.update_or_create_from_instance(obj)
    Translation.objects.get_or_create(source=source, target_locale=locale,
                                      defaults={"enabled": True})
    for segment in StringSegment.objects.filter(source=source).select_related("string",
                                                                                 "context"):
        text = segment.string.data
        if _string_is_kept(text, segment.context.path):
            translated = text
        elif text in strings:
            translated = strings[text]
        else:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=locale, context=segment.context,
            defaults={"data": translated,
                      "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                      "last_translated_by": user, "has_error": False, "field_error": ""},
        )
    # A page is saved as a draft, then published here: wagtail-localize publishes on commit,
    # after the caller's transaction, where the caller cannot see it live yet.
    draft_state = isinstance(obj, DraftStateMixin)
    translated, _created = source.create_or_update_translation(
        locale, user=user, publish=not draft_state, fallback=True)
    if draft_state:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated


def untranslated_strings(*, obj, locale: Locale) -> list[str]:
    """The strings of a page or snippet that have no translation into `locale` (what the
    admin's translation editor would show as still to do)."""
    from wagtail_localize.models import StringSegment, TranslationSource

    source = TranslationSource.objects.filter(
        object_id=obj.translation_key, locale_id=obj.locale_id).first()
    if source is None:
        return ["(pas de traduction)"]
    segments = StringSegment.objects.filter(source=source).annotate_translation(locale)
    return [segment.string.data for segment in segments.select_related("string")
            if not segment.translation]


@transaction.atomic
def portal_translations_ensure() -> None:
    """Every page of the portal and every procedure category in each other content language,
    with the English of the portal's own content (cms/content_en.py). What already has a
    translation is left as editors made it; what the dictionary does not know is copied in
    French, for an editor to translate."""
    from .content_en import ENGLISH

    default = portal_locales_ensure()
    home = PortalHomePage.objects.filter(locale=default).first()
    for locale in Locale.objects.exclude(pk=default.pk):
        strings = ENGLISH if locale.language_code == "en" else {}
        for category in ProcedureCategory.objects.filter(locale=default):
            if not category.has_translation(locale):
                object_translate(obj=category, locale=locale, strings=strings)
        if home is None:
            continue
        for page in home.get_descendants(inclusive=True).specific():
            translation = page.get_translation_or_none(locale)
            if translation is None or translation.alias_of_id:
                object_translate(obj=page, locale=locale, strings=strings)
