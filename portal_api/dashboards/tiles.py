"""The dashboard tiles: name, label, kind and area, in their default order.

Who may see each one is said in rules.py (TILE_PERMISSIONS); what each one shows is computed in
selectors.py.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import DashboardArea


@dataclass(frozen=True)
class Tile:
    name: str
    label: str | Promise
    kind: str  # "number" | "chart" | "list" | "feed"
    area: str
    default: bool = True  # shown until the user personalises his dashboard


CLIENT = DashboardArea.CLIENT
TECHNICIAN = DashboardArea.TECHNICIAN

# Figures first, then the wider tiles (lists, charts, feed): the widget sets consecutive figures
# side by side and pairs consecutive wide tiles.
TILES: tuple[Tile, ...] = (
    # Client dashboard (the extranet home).
    Tile("orders_drafts", _("Commandes en préparation"), "number", CLIENT),
    Tile("orders_in_progress", _("Commandes en cours"), "number", CLIENT),
    Tile("requests_open", _("Demandes en cours"), "number", CLIENT),
    Tile("interventions_done_month", _("Interventions réalisées ce mois-ci"), "number", CLIENT),
    Tile("invoices_due", _("Reste à payer"), "number", CLIENT),
    Tile("invoices_overdue", _("Factures en retard"), "number", CLIENT),
    Tile("invoices_paid_year", _("Payé cette année"), "number", CLIENT),
    Tile("equipment_count", _("Équipements"), "number", CLIENT),
    Tile("warranties_ending", _("Garanties finissant sous 60 jours"), "number", CLIENT),
    Tile("contracts_ending", _("Contrats finissant sous 90 jours"), "number", CLIENT),
    Tile("interventions_next", _("Prochaines interventions"), "list", CLIENT),
    Tile("spend_chart", _("Dépenses par mois (HT)"), "chart", CLIENT),
    Tile("interventions_chart", _("Interventions par mois"), "chart", CLIENT),
    Tile("feed", _("Activité récente"), "feed", CLIENT),
    # LivePilot (the intranet home).
    Tile("today", _("Aujourd'hui"), "list", TECHNICIAN),
    Tile("week", _("Cette semaine"), "list", TECHNICIAN),
    Tile("to_sign", _("Fiches à faire signer"), "number", TECHNICIAN),
    Tile("hours_week", _("Heures saisies cette semaine"), "number", TECHNICIAN),
    Tile("expenses_month", _("Frais du mois"), "number", TECHNICIAN),
    Tile("time_on_site", _("Temps moyen sur site"), "number", TECHNICIAN),
    Tile("repeat_visits", _("Retours sous 30 jours"), "number", TECHNICIAN),
    Tile("done_chart", _("Interventions réalisées par mois"), "chart", TECHNICIAN),
)

TILES_BY_NAME: dict[str, Tile] = {tile.name: tile for tile in TILES}


def area_tiles(area: str) -> list[Tile]:
    return [tile for tile in TILES if tile.area == area]
