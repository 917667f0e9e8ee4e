from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, Site

from portal_api.accounts.signals import CLIENTS_GROUP, TECHNICIANS_GROUP

from .models import ExtranetHomePage, IntranetHomePage, PortalHomePage


def _restrict_to(page: Page, group_name: str) -> None:
    group, _ = Group.objects.get_or_create(name=group_name)
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([group])


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
            title="Bienvenue sur votre portail", slug="accueil",
            intro=[
                ("paragraph", "<p>Clients : commandez, suivez vos interventions et "
                              "téléchargez vos factures. Techniciens : retrouvez vos "
                              "interventions et remplissez vos bons sur le terrain.</p>"),
            ],
        ))
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
            intro=[("paragraph", "<p>Bienvenue dans votre espace client.</p>"),
                   ("me", {"title": "Mon compte"})],
        ))
        _restrict_to(extranet, CLIENTS_GROUP)
    if not IntranetHomePage.objects.exists():
        intranet = home.add_child(instance=IntranetHomePage(
            title="Intranet techniciens", slug="intranet",
            intro=[("paragraph", "<p>Tableau de bord LivePilot.</p>"),
                   ("me", {"title": "Mon profil"})],
        ))
        _restrict_to(intranet, TECHNICIANS_GROUP)
    return home
