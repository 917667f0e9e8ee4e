"""Who may do what with orders.

The `*_order` permissions take the order's state into account (what the widget may offer);
the `*_orders` ones only say whether the user may try at all (what an endpoint lets through:
the service then answers 409 for an order in the wrong state, rather than a misleading 403).
"""

import rules

from portal_api.accounts import roles
from portal_api.accounts.rules import (
    has_right,
    is_administrator,
    is_own_company,
    is_sales_admin,
    staff_reaches,
)


@rules.predicate
def is_draft(user, order) -> bool:
    return order is None or order.status == "draft"


@rules.predicate
def is_cancellable(user, order) -> bool:
    return order is None or order.status == "submitted"


can_prepare = has_right("can_prepare_orders")
can_place = has_right("can_place_orders")

rules.add_perm("orders.view_orders",
               ((can_prepare | can_place) & is_own_company) | staff_reaches(roles.ORDERS))
rules.add_perm("orders.prepare_order", can_prepare & is_own_company & is_draft)
rules.add_perm("orders.place_order", can_place & is_own_company & is_draft)
rules.add_perm("orders.cancel_order", can_place & is_own_company & is_cancellable)
# Endpoint gates, whatever the order's state.
rules.add_perm("orders.prepare_orders", can_prepare & is_own_company)
rules.add_perm("orders.place_orders", can_place & is_own_company)
rules.add_perm("orders.cancel_orders", can_place & is_own_company)
# The back office: confirming, delivering, cancelling placed orders (sales administration).
rules.add_perm("orders.manage_orders", is_administrator | is_sales_admin)
