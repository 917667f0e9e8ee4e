from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from portal_api.common.api import ScopedReadOnlyViewSet, XlsxExportMixin
from portal_api.common.export import DATE_FORMAT, Column

from . import selectors
from .filters import EquipmentFilter
from .serializers import EquipmentDetailSerializer, EquipmentSerializer


class EquipmentViewSet(XlsxExportMixin, ScopedReadOnlyViewSet):
    """The installed base of the user's company (le parc)."""

    selector = selectors.equipment_list
    serializer_class = EquipmentSerializer
    rules_permissions = {"list": "service.consult_equipment",
                         "retrieve": "service.consult_equipment"}
    filterset_class = EquipmentFilter
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

    def get_serializer_class(self):
        return EquipmentDetailSerializer if self.action == "retrieve" else EquipmentSerializer

    def retrieve(self, request, *args, **kwargs):
        equipment = self.get_object()
        context = self.get_serializer_context()
        # The interventions done on it, for a user who may follow interventions.
        context["interventions"] = (
            selectors.equipment_intervention_list(user=request.user, equipment=equipment)
            if request.user.has_perm("service.consult_intervention") else None
        )
        return Response(self.get_serializer(equipment, context=context).data)
