"""Who may do what with requests and interventions (portal_api/service/rules.py)."""

import pytest
from django.utils import timezone

from portal_api.accounts.rules import staff_roles_of
from portal_api.service.models import Intervention


class TestSheet:
    def test_assigned_technician_edits_and_signs_his_sheet(self, julie, intervention):
        assert julie.has_perm("service.edit_intervention_sheet", intervention)
        assert julie.has_perm("service.sign_intervention", intervention)

    def test_a_signed_sheet_is_a_409_from_the_service_not_a_403(self, julie, intervention):
        Intervention.objects.filter(pk=intervention.pk).update(signed_at=timezone.now(),
                                                               signer_name="Paul Martin")
        intervention.refresh_from_db()
        assert julie.has_perm("service.edit_intervention_sheet", intervention)
        assert julie.has_perm("service.sign_intervention", intervention)

    def test_another_technician_may_not(self, karim, chief, intervention):
        assert not karim.has_perm("service.edit_intervention_sheet", intervention)
        assert not karim.has_perm("service.sign_intervention", intervention)
        assert chief.has_perm("service.edit_intervention_sheet", intervention)

    def test_clients_never_edit_or_sign(self, martin, dupond, intervention):
        for user in (martin, dupond):
            assert not user.has_perm("service.edit_intervention_sheet", intervention)
            assert not user.has_perm("service.sign_intervention", intervention)

    def test_back_office_edits_every_sheet(self, dispatcher, intervention):
        assert dispatcher.has_perm("service.edit_intervention_sheet", intervention)
        assert dispatcher.has_perm("service.sign_intervention", intervention)

    def test_prefetched_technicians_answer_without_a_query(
            self, julie, intervention, django_assert_num_queries):
        intervention = Intervention.objects.prefetch_related("technicians").get(
            pk=intervention.pk)
        julie = type(julie).objects.select_related("technician_profile").get(pk=julie.pk)
        staff_roles_of(julie)  # her back-office roles: read once per request
        with django_assert_num_queries(0):
            assert julie.has_perm("service.edit_intervention_sheet", intervention)


@pytest.mark.parametrize("who, allowed", [
    ("julie", True), ("chief", True), ("dispatcher", True),
    ("martin", False), ("dupond", False), ("other_manager", False),
])
def test_choose_client(request, who, allowed):
    user = request.getfixturevalue(who)
    assert user.has_perm("service.choose_client") is allowed


@pytest.mark.parametrize("who, on_site, all_interventions", [
    ("julie", True, False), ("karim", True, False), ("chief", True, True),
    # Dispatchers plan from the Action Center; the intranet's creation assigns its author.
    ("dispatcher", False, True),
    ("martin", False, False), ("dupond", False, False), ("other_manager", False, False),
])
def test_intranet_creation_and_the_whole_list(request, who, on_site, all_interventions):
    user = request.getfixturevalue(who)
    assert user.has_perm("service.create_intervention_on_site") is on_site
    assert user.has_perm("service.consult_all_interventions") is all_interventions


def test_a_technician_without_the_creation_right_may_not_create_on_site(julie):
    julie.technician_profile.can_create_interventions = False
    julie.technician_profile.save()
    julie = type(julie).objects.get(pk=julie.pk)
    assert not julie.has_perm("service.create_intervention_on_site")


@pytest.mark.parametrize("who, request_, view", [
    ("martin", True, True), ("dupond", False, False), ("other_manager", False, False),
    ("dispatcher", False, True),
])
def test_requests_of_dupond(request, dupond_company, dupond_site, who, request_, view):
    from portal_api.service.factories import TicketFactory

    user = request.getfixturevalue(who)
    ticket = TicketFactory(site=dupond_site)
    assert user.has_perm("service.request_intervention", ticket) is request_
    assert user.has_perm("service.view_tickets", ticket) is view
