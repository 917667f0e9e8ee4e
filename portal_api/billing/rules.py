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
def is_issued(user, invoice) -> bool:
    # Draft invoices are the staff's work in progress: clients never see them.
    return invoice is None or invoice.status != "draft"


rules.add_perm(
    "billing.view_invoices",
    staff_reaches(roles.INVOICES) | (has_right("can_view_invoices") & is_own_company & is_issued),
)
rules.add_perm(
    "billing.view_contracts",
    staff_reaches(roles.CONTRACTS)
    | ((has_right("can_view_documents") | has_right("can_view_equipment")) & is_own_company),
)
# The back office: issuing invoices, recording payments; contracts.
rules.add_perm("billing.manage_invoices", is_administrator | is_sales_admin)
rules.add_perm("billing.manage_contracts", is_administrator | is_sales_admin)
