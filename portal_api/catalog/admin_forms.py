"""Back-office forms for the catalogue."""

from django.utils.translation import gettext_lazy as _

from portal_api.common.admin_forms import PortalAdminForm


class ArticleFamilyAdminForm(PortalAdminForm):
    pass


class ArticleAdminForm(PortalAdminForm):
    """The reserved stock belongs to placed orders and is not edited here; the physical stock
    can be corrected (inventory) but never below what is reserved."""

    def clean(self):
        cleaned = super().clean()
        on_hand = cleaned.get("stock_on_hand")
        reserved = self.instance.stock_reserved or 0
        if on_hand is not None and on_hand < reserved:
            self.add_error(
                "stock_on_hand",
                _("Le stock physique ne peut être inférieur au stock réservé par les "
                  "commandes (%(reserved)s).") % {"reserved": reserved.normalize()},
            )
        return cleaned
