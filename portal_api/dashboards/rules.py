"""Who may see which dashboard, and which tiles on it.

A client tile is shown only to a user who could open the page its figures come from: the
tile asks the same permission as that page (Martin, without the order rights, gets no order
tile; Dupond, without the intervention rights, no intervention tile).
"""

import rules

from portal_api.accounts.rules import is_portal_user, is_technician

from .models import DashboardArea
from .tiles import TILES_BY_NAME

rules.add_perm("dashboards.view_client_dashboard", is_portal_user)
rules.add_perm("dashboards.view_technician_dashboard", is_technician)
# The preferences endpoints: anyone with a dashboard (the area is checked next).
rules.add_perm("dashboards.view_dashboard", is_portal_user | is_technician)

AREA_PERMISSIONS: dict[str, str] = {
    DashboardArea.CLIENT: "dashboards.view_client_dashboard",
    DashboardArea.TECHNICIAN: "dashboards.view_technician_dashboard",
}

# Tile → the permissions it needs (all of them), on top of its area's.
TILE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "orders_drafts": ("orders.view_orders",),
    "orders_in_progress": ("orders.view_orders",),
    "requests_open": ("service.view_tickets",),
    "interventions_next": ("service.consult_intervention",),
    "interventions_done_month": ("service.consult_intervention",),
    "invoices_due": ("billing.view_invoices",),
    "invoices_overdue": ("billing.view_invoices",),
    "invoices_paid_year": ("billing.view_invoices",),
    "equipment_count": ("service.consult_equipment",),
    "warranties_ending": ("service.consult_equipment",),
    "contracts_ending": ("service.consult_equipment", "billing.view_contracts"),
    "spend_chart": ("billing.view_invoices",),
    "interventions_chart": ("service.consult_intervention",),
    # The feed only carries what each of its sources allows (FEED_PERMISSIONS).
    "feed": (),
    "today": (),
    "week": (),
    "to_sign": (),
    "hours_week": (),
    "expenses_month": (),
    "done_chart": (),
    "time_on_site": (),
    "repeat_visits": (),
}

# What the client feed may carry: source → permission.
FEED_PERMISSIONS: dict[str, str] = {
    "document": "documents.view_documents",
    "ticket": "service.view_tickets",
    "order": "orders.view_orders",
    "invoice": "billing.view_invoices",
    "intervention": "service.consult_intervention",
}


def may_view_area(user, area: str) -> bool:
    perm = AREA_PERMISSIONS.get(area)
    return bool(perm and user.has_perm(perm))


def may_see_tile(user, name: str) -> bool:
    """The user may see this tile: he has its area's dashboard and every right it needs."""
    tile = TILES_BY_NAME.get(name)
    if tile is None or not may_view_area(user, tile.area):
        return False
    if name == "feed":
        return bool(feed_sources(user))
    return all(user.has_perm(perm) for perm in TILE_PERMISSIONS[name])


def feed_sources(user) -> list[str]:
    return [source for source, perm in FEED_PERMISSIONS.items() if user.has_perm(perm)]
