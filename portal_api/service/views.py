from django.utils.translation import gettext_lazy as _

from portal_api.common.api import ScopedReadOnlyViewSet, XlsxExportMixin
from portal_api.common.export import DATE_FORMAT, Column

from . import selectors
from .serializers import EquipmentSerializer


class EquipmentViewSet(XlsxExportMixin, ScopedReadOnlyViewSet):
    """The installed base of the user's company (le parc)."""

    selector = selectors.equipment_list
    serializer_class = EquipmentSerializer
    rules_permissions = {"list": "service.consult_equipment",
                         "retrieve": "service.consult_equipment"}
    filterset_fields = ["site", "contract"]
    ordering_fields = ["serial_number", "install_date", "warranty_end"]
    export_filename = "equipements"
    export_columns = [
        Column(_("N° de série"), lambda e: e.serial_number),
        Column(_("Marque"), lambda e: e.brand),
        Column(_("Modèle"), lambda e: e.model),
        Column(_("Site"), lambda e: e.site.name, width=30),
        Column(_("Mise en service"), lambda e: e.install_date, DATE_FORMAT),
        Column(_("Fin de garantie"), lambda e: e.warranty_end, DATE_FORMAT),
        Column(_("Contrat"), lambda e: e.contract.number if e.contract else ""),
    ]
