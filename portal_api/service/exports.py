"""The equipment and interventions lists as they export to Excel (common/exportable.py): read
by the list endpoints (views.EquipmentViewSet, views.InterventionViewSet) and by the
background export."""

from django.utils.translation import gettext_lazy as _

from portal_api.common.export import DATE_FORMAT, DATETIME_FORMAT, Column
from portal_api.common.exportable import ExportableList, register

from . import selectors
from .filters import EquipmentFilter, InterventionFilter

EQUIPMENT_LIST = register(ExportableList(
    name="equipements",
    selector=selectors.equipment_list,
    filterset_class=EquipmentFilter,
    ordering_fields=("serial_number", "install_date", "warranty_end"),
    rule="service.consult_equipment",
    columns=(
        Column(_("N° de série"), lambda e: e.serial_number),
        Column(_("Marque"), lambda e: e.brand),
        Column(_("Modèle"), lambda e: e.model),
        Column(_("Site"), lambda e: e.site.name, width=30),
        Column(_("Mise en service"), lambda e: e.install_date, DATE_FORMAT),
        Column(_("Fin de garantie"), lambda e: e.warranty_end, DATE_FORMAT),
        Column(_("Contrat"), lambda e: e.contract.number if e.contract else ""),
    ),
))


def _people(intervention) -> str:
    return ", ".join(str(u) for u in intervention.technicians.all())


def _yes_no(value: bool) -> str:
    return str(_("Oui") if value else _("Non"))


INTERVENTION_LIST = register(ExportableList(
    name="interventions",
    selector=selectors.intervention_list_rows,
    filterset_class=InterventionFilter,
    ordering_fields=("planned_start", "number", "status", "arrival_at", "signed_at"),
    rule="service.consult_intervention",
    columns=(
        Column(_("Numéro"), lambda i: i.number),
        Column(_("Statut"), lambda i: str(i.get_status_display())),
        Column(_("Client"), lambda i: i.client_account.name, width=28),
        Column(_("Site"), lambda i: i.site.name, width=28),
        Column(_("Équipement"), lambda i: (i.equipment.serial_number if i.equipment
                                           else i.serial_number_typed)),
        Column(_("Contrat"), lambda i: i.contract.number if i.contract else ""),
        Column(_("Sous contrat"), lambda i: _yes_no(i.contract_id is not None), width=10),
        Column(_("Sous garantie"), lambda i: _yes_no(i.under_warranty), width=10),
        Column(_("Début prévu"), lambda i: i.planned_start, DATETIME_FORMAT),
        Column(_("Arrivée"), lambda i: i.arrival_at, DATETIME_FORMAT),
        Column(_("Fin"), lambda i: i.end_at, DATETIME_FORMAT),
        Column(_("Techniciens"), _people, width=28),
        Column(_("Motif"), lambda i: i.description, width=40),
        Column(_("Travaux réalisés"), lambda i: i.work_done, width=40),
        Column(_("Signée le"), lambda i: i.signed_at, DATETIME_FORMAT),
        Column(_("Urgente"), lambda i: _yes_no(i.urgent), width=10),
    ),
))
