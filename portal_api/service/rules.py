import rules

from portal_api.accounts import roles
from portal_api.accounts.rules import (
    has_right,
    is_administrator,
    is_dispatcher,
    is_own_company,
    is_technician,
    staff_reach,
    staff_reaches,
    technician_creates_interventions,
    technician_sees_all,
)


@rules.predicate
def is_assigned(user, intervention) -> bool:
    if intervention is None:
        return True
    prefetched = getattr(intervention, "_prefetched_objects_cache", {}).get("technicians")
    if prefetched is not None:  # a list's prefetch: no query per row
        return any(t.pk == user.pk for t in prefetched)
    return intervention.technicians.filter(pk=user.pk).exists()


@rules.predicate
def reaches_all_interventions(user) -> bool:
    """A back-office role reaching every intervention (dispatcher, administrator), or a team
    lead."""
    return staff_reach(user, roles.INTERVENTIONS) == "all"


# The back office that plans the work: the Action Center, interventions, equipment.
plans_service = is_administrator | is_dispatcher
technician_may_see = is_technician & (technician_sees_all | is_assigned)
may_see_intervention = reaches_all_interventions | technician_may_see

rules.add_perm(
    "service.consult_equipment",
    staff_reaches(roles.EQUIPMENT)
    | (has_right("can_view_equipment") & is_own_company),
)
rules.add_perm("service.request_intervention",
               has_right("can_request_interventions") & is_own_company)
rules.add_perm(
    "service.view_tickets",
    staff_reaches(roles.TICKETS)
    | ((has_right("can_request_interventions") | has_right("can_follow_interventions"))
       & is_own_company),
)
rules.add_perm(
    "service.consult_intervention",
    (staff_reaches(roles.INTERVENTIONS) & may_see_intervention)
    | (has_right("can_follow_interventions") & is_own_company),
)
rules.add_perm("service.create_intervention", plans_service | technician_creates_interventions)
# The intranet's "new intervention" assigns the technician who creates it on site; dispatchers
# plan interventions from the Action Center instead.
rules.add_perm("service.create_intervention_on_site", technician_creates_interventions)
# "All the company's interventions" in the technician's list (not only his own).
rules.add_perm("service.consult_all_interventions", reaches_all_interventions)
# A signed sheet is locked: the services answer 409 (a state), not 403 (a right).
rules.add_perm("service.edit_intervention_sheet", plans_service | technician_may_see)
rules.add_perm("service.sign_intervention", plans_service | technician_may_see)
# Picking a client company (creating an intervention, filtering lists): the back office and
# the technicians; a portal user has one company, his own.
rules.add_perm("service.choose_client", staff_reaches(roles.INTERVENTIONS))
# A technician's meals and fuel are the company's business, not its client's.
rules.add_perm("service.view_expenses", staff_reaches(roles.INTERVENTIONS))
# The back office: the Action Center (requests → interventions), planning, closing and
# cancelling interventions, the installed base.
rules.add_perm("service.manage_tickets", plans_service)
rules.add_perm("service.manage_interventions", plans_service)
rules.add_perm("service.manage_equipment", plans_service)
