from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import BaseStreamBlock


class BasePortalPage(Page):
    intro = StreamField(BaseStreamBlock(), blank=True, use_json_field=True,
                        verbose_name=_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        abstract = True


class PortalHomePage(BasePortalPage):
    """The public home of the portal (the site root): who we are, how to log in."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ExtranetHomePage", "cms.IntranetHomePage", "cms.StandardPage"]
    max_count = 1
    template = "cms/portal_home_page.html"

    class Meta:
        verbose_name = _("accueil du portail")


class ExtranetHomePage(BasePortalPage):
    """Home of the client extranet (/espace-client/), for the "Clients" group."""

    parent_page_types = ["cms.PortalHomePage"]
    subpage_types = ["cms.StandardPage"]
    max_count = 1
    template = "cms/extranet_home_page.html"

    class Meta:
        verbose_name = _("accueil de l'espace client")


class IntranetHomePage(BasePortalPage):
    """Home of the technicians' intranet (/intranet/), for the "Techniciens" group."""

    parent_page_types = ["cms.PortalHomePage"]
    subpage_types = ["cms.StandardPage"]
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
