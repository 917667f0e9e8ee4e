from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from .widgets import WIDGET_BLOCKS


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("ton"), default="info",
        choices=[("info", _("Information")), ("success", _("Succès")),
                 ("warning", _("Attention"))],
    )
    text = blocks.RichTextBlock(label=_("texte"), features=["bold", "italic", "link"])

    class Meta:
        template = "cms/blocks/callout.html"
        icon = "warning"
        label = _("Encadré")


class HomeSpaceBlock(blocks.StructBlock):
    """One space of the portal on the public home page: who it is for, what it offers and
    where to enter it."""

    audience = blocks.ChoiceBlock(
        label=_("public"), default="clients",
        choices=[("clients", _("Clients")), ("technicians", _("Techniciens"))],
    )
    title = blocks.CharBlock(label=_("titre"))
    text = blocks.TextBlock(label=_("présentation"), required=False)
    features = blocks.ListBlock(blocks.CharBlock(label=_("service")), label=_("services offerts"),
                                default=[])
    link_label = blocks.CharBlock(label=_("libellé du lien"), required=False)
    link_url = blocks.CharBlock(label=_("adresse du lien"), required=False,
                                help_text=_("Par exemple /espace-client/."))

    class Meta:
        template = "cms/blocks/home_space.html"
        icon = "group"
        label = _("Espace du portail")


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page type offers: text, images, callouts and the portal widgets."""

    heading = blocks.CharBlock(label=_("titre de section"), form_classname="title",
                               template="cms/blocks/heading.html", icon="title")
    paragraph = blocks.RichTextBlock(label=_("paragraphe"), icon="pilcrow")
    image = ImageBlock(label=_("image"))
    callout = CalloutBlock()

    def __init__(self, *args, **kwargs):
        super().__init__([(name, block) for name, block in WIDGET_BLOCKS], *args, **kwargs)
