import rules

from portal_api.accounts.rules import has_right, is_own_company, is_staff_member


@rules.predicate
def is_issued(user, invoice) -> bool:
    # Draft invoices are the staff's work in progress: clients never see them.
    return invoice is None or invoice.status != "draft"


rules.add_perm(
    "billing.view_invoices",
    is_staff_member | (has_right("can_view_invoices") & is_own_company & is_issued),
)
rules.add_perm(
    "billing.view_contracts",
    is_staff_member
    | ((has_right("can_view_documents") | has_right("can_view_equipment")) & is_own_company),
)
