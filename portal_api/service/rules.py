import rules

from portal_api.accounts.rules import (
    has_right,
    is_own_company,
    is_staff_member,
    is_technician,
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


# Staff of the back office (dispatchers, admins) who are not technicians see everything; a
# technician only what his profile allows.
is_back_office = is_staff_member & ~is_technician
technician_may_see = is_technician & (technician_sees_all | is_assigned)

rules.add_perm(
    "service.consult_equipment",
    is_staff_member | (has_right("can_view_equipment") & is_own_company),
)
rules.add_perm("service.request_intervention",
               has_right("can_request_interventions") & is_own_company)
rules.add_perm(
    "service.view_tickets",
    is_staff_member
    | ((has_right("can_request_interventions") | has_right("can_follow_interventions"))
       & is_own_company),
)
rules.add_perm(
    "service.consult_intervention",
    is_back_office | technician_may_see
    | (has_right("can_follow_interventions") & is_own_company),
)
rules.add_perm("service.create_intervention", is_back_office | technician_creates_interventions)
# The intranet's "new intervention" assigns the technician who creates it on site; dispatchers
# plan interventions from the Action Center instead.
rules.add_perm("service.create_intervention_on_site", technician_creates_interventions)
# "All the company's interventions" in the technician's list (not only his own).
rules.add_perm("service.consult_all_interventions",
               is_back_office | (is_technician & technician_sees_all))
# A signed sheet is locked: the services answer 409 (a state), not 403 (a right).
rules.add_perm("service.edit_intervention_sheet", is_back_office | technician_may_see)
rules.add_perm("service.sign_intervention", is_back_office | technician_may_see)
# Picking a client company (creating an intervention, filtering lists): the back office and
# the technicians; a portal user has one company, his own.
rules.add_perm("service.choose_client", is_back_office | is_technician)
