from portal_api.common.api import ScopedReadOnlyViewSet

from . import selectors
from .serializers import EquipmentSerializer


class EquipmentViewSet(ScopedReadOnlyViewSet):
    """The installed base of the user's company (le parc)."""

    selector = selectors.equipment_list
    serializer_class = EquipmentSerializer
    rules_permissions = {"list": "service.consult_equipment",
                         "retrieve": "service.consult_equipment"}
    filterset_fields = ["site", "contract"]
    ordering_fields = ["serial_number", "install_date", "warranty_end"]
