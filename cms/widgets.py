"""Widget blocks: a StreamField block that renders one portal custom element.

A new widget becomes available to editors with one line: `register_widget(...)` below. The
element's module is `site/widgets/<tag>.js`; the block renders the tag with its settings as
attributes and loads the module.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class WidgetBlock(blocks.StructBlock):
    """Base of every widget block; `tag` names the custom element."""

    title = blocks.CharBlock(label=_("titre"), required=False)

    class Meta:
        template = "cms/blocks/widget.html"
        icon = "code"

    tag: str = ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["tag"] = self.meta.tag
        context["module"] = f"portal/widgets/{self.meta.tag}.js"
        # Settings become attributes; a true boolean is a bare attribute (exportable=""), a
        # false one is left out, as HTML boolean attributes work.
        context["attributes"] = {
            key: "" if val is True else val for key, val in value.items()
            if key != "title" and val not in ("", None, False)
        }
        # What the widget may offer this user, said by the page rather than asked of the API
        # (a refused call to find out is a 403 in the console on every visit).
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            for attribute, perm in self.user_permissions.items():
                if user.has_perm(perm):
                    context["attributes"][attribute] = ""
        return context

    # {attribute: permission}: a bare attribute on the element when the user holds it.
    user_permissions: dict[str, str] = {}


WIDGET_BLOCKS: list[tuple[str, WidgetBlock]] = []


def register_widget(name: str, tag: str, label: str, icon: str = "code",
                    user_permissions: dict[str, str] | None = None, **fields) -> None:
    block_class = type(
        f"{name.title().replace('_', '')}WidgetBlock", (WidgetBlock,),
        {**fields, "user_permissions": user_permissions or {},
         "Meta": type("Meta", (), {"tag": tag, "label": label, "icon": icon})},
    )
    WIDGET_BLOCKS.append((name, block_class()))


# The widgets editors can place in portal pages.
register_widget("me", "portal-me", _("Widget : mon compte et mes droits"), icon="user")
register_widget("catalogue", "portal-catalogue", _("Widget : catalogue"), icon="list-ul", order_page=blocks.CharBlock(label=_("adresse de la page commande"), required=False))  # noqa: E501
register_widget("order_draft", "portal-order-draft", _("Widget : commande en préparation"), icon="doc-full", catalogue_page=blocks.CharBlock(label=_("adresse du catalogue"), required=False), list_page=blocks.CharBlock(label=_("adresse de la liste des commandes"), required=False))  # noqa: E501
register_widget("orders", "portal-order-list", _("Widget : commandes"), icon="list-ul", order_page=blocks.CharBlock(label=_("adresse de la page commande"), required=False), exportable=blocks.BooleanBlock(label=_("export .xlsx"), required=False, default=True))  # noqa: E501
register_widget("invoices", "portal-invoice-list", _("Widget : factures"), icon="doc-full", exportable=blocks.BooleanBlock(label=_("export .xlsx"), required=False, default=True))  # noqa: E501
register_widget("documents", "portal-document-list", _("Widget : documents"), icon="folder-open-inverse")  # noqa: E501
register_widget("account", "portal-account", _("Widget : mes coordonnées et ma société"), icon="user")  # noqa: E501
register_widget("contacts", "portal-contacts", _("Widget : contacts de la société"), icon="group")
register_widget("colleagues", "portal-colleagues", _("Widget : accès portail des collègues"), icon="group")  # noqa: E501
register_widget("equipment", "portal-equipment-list", _("Widget : parc d'équipements"), icon="cogs")  # noqa: E501
register_widget("ticket_list", "portal-ticket-list", _("Widget : demandes d'intervention"), icon="warning", request_page=blocks.CharBlock(label=_("adresse de la page nouvelle demande"), required=False))  # noqa: E501
register_widget("ticket_request", "portal-ticket-request", _("Widget : nouvelle demande d'intervention"), icon="warning", list_page=blocks.CharBlock(label=_("adresse de la liste des demandes"), required=False))  # noqa: E501
register_widget("interventions", "portal-intervention-list", _("Widget : interventions du client"), icon="calendar-check", exportable=blocks.BooleanBlock(label=_("export .xlsx"), required=False, default=True))  # noqa: E501
register_widget("technician_interventions", "portal-technician-interventions", _("Widget : interventions du technicien"), icon="calendar-check", user_permissions={"scope-all": "service.consult_all_interventions"}, sheet_page=blocks.CharBlock(label=_("adresse de la fiche d'intervention"), required=False), create_page=blocks.CharBlock(label=_("adresse de la page nouvelle intervention"), required=False), exportable=blocks.BooleanBlock(label=_("export .xlsx"), required=False, default=True))  # noqa: E501
register_widget("intervention_sheet", "portal-intervention-sheet", _("Widget : fiche d'intervention et signature"), icon="edit", list_page=blocks.CharBlock(label=_("adresse de la liste des interventions"), required=False))  # noqa: E501
register_widget("intervention_create", "portal-intervention-create", _("Widget : nouvelle intervention"), icon="plus", sheet_page=blocks.CharBlock(label=_("adresse de la fiche d'intervention"), required=False))  # noqa: E501
register_widget("dashboard", "portal-dashboard", _("Widget : tableau de bord"), icon="table", area=blocks.ChoiceBlock(label=_("tableau de bord"), choices=[("client", _("Client")), ("technician", _("Technicien (LivePilot)"))], default="client"))  # noqa: E501
