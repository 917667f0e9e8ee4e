"""Services of accounts: own details, contacts, colleagues (invite, rights, deactivate)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from portal_api.accounts import services
from portal_api.accounts.factories import ContactFactory, PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalProfile, PortalRole, User
from portal_api.common.errors import ServiceError


@pytest.fixture
def manager(dupond_company):
    return PortalProfileFactory(
        user=UserFactory(email="gestion@dupond-industrie.fr", first_name="Claire",
                         last_name="Gestion"),
        client_account=dupond_company, role=PortalRole.MANAGER,
    ).user


@pytest.fixture
def limited_manager(dupond_company):
    """Manages users but holds only a few rights himself."""
    return PortalProfileFactory(
        user=UserFactory(email="chef@dupond-industrie.fr"), client_account=dupond_company,
        role=PortalRole.CUSTOM, can_manage_users=True, can_view_catalog=True,
        can_prepare_orders=True,
    ).user


class TestOwnDetails:
    def test_changes_name_and_phone_only(self, dupond):
        services.user_update_details(user=dupond, first_name=" Jean-Paul ", phone="04 72 00 00 00")
        dupond.refresh_from_db()
        assert (dupond.first_name, dupond.last_name, dupond.phone) == (
            "Jean-Paul", "Dupond", "04 72 00 00 00")
        assert dupond.email == "dupond@dupond-industrie.fr"


class TestContacts:
    def test_update_and_deactivate(self, dupond_company):
        contact = ContactFactory(client_account=dupond_company, last_name="Durand")
        services.contact_update(contact=contact, role="Comptable", email="compta@dupond.fr")
        contact.refresh_from_db()
        assert (contact.role, contact.email, contact.active) == (
            "Comptable", "compta@dupond.fr", True)
        services.contact_deactivate(contact=contact)
        contact.refresh_from_db()
        assert contact.active is False  # kept, only hidden

    def test_invalid_email_is_refused_and_nothing_saved(self, dupond_company):
        contact = ContactFactory(client_account=dupond_company, email="ok@dupond.fr")
        with pytest.raises(ValidationError) as exc:
            services.contact_update(contact=contact, email="pas-une-adresse")
        assert "email" in exc.value.message_dict
        contact.refresh_from_db()
        assert contact.email == "ok@dupond.fr"

    def test_company_cannot_be_changed(self, dupond_company, other_company):
        contact = ContactFactory(client_account=dupond_company)
        with pytest.raises(ValueError):
            services.contact_update(contact=contact, client_account=other_company)


class TestInvite:
    def test_creates_the_user_for_the_inviters_company_and_mails_him(
        self, manager, dupond_company, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            user = services.portal_user_invite(
                invited_by=manager, email="Nouveau@Dupond-Industrie.fr", first_name="Luc",
                last_name="Nouveau", rights=["can_view_catalog", "can_view_invoices"],
            )
        assert user.email == "nouveau@dupond-industrie.fr"
        assert not user.has_usable_password()
        profile = user.portal_profile
        assert profile.client_account == dupond_company
        assert {n for n, v in profile.rights.items() if v} == {"can_view_catalog",
                                                              "can_view_invoices"}
        assert profile.role == PortalRole.CUSTOM
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["nouveau@dupond-industrie.fr"]
        assert "/invitation/" in message.body
        assert "Dupond Industrie" in message.body
        assert "Claire Gestion" in message.body

    def test_preset_is_recognised(self, manager):
        user = services.portal_user_invite(
            invited_by=manager, email="acheteur2@dupond-industrie.fr", last_name="Deux",
            rights=["can_view_catalog", "can_prepare_orders", "can_place_orders",
                    "can_view_invoices", "can_view_documents"],
        )
        assert user.portal_profile.role == PortalRole.BUYER

    def test_a_right_the_inviter_does_not_hold_is_refused(self, limited_manager):
        with pytest.raises(ServiceError) as exc:
            services.portal_user_invite(
                invited_by=limited_manager, email="x@dupond-industrie.fr", last_name="X",
                rights=["can_view_catalog", "can_place_orders"],
            )
        assert exc.value.status_code == 400
        assert "Passer des commandes" in " ".join(exc.value.fields["rights"])
        assert not User.objects.filter(email="x@dupond-industrie.fr").exists()
        assert len(mail.outbox) == 0

    def test_an_address_with_an_account_elsewhere_makes_no_account_and_is_not_revealed(
        self, manager, other_manager, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            result = services.portal_user_invite(
                invited_by=manager, email="AUTRE@client-exemple.fr", last_name="Doublon")
        assert result is None  # the caller answers as for a new colleague
        assert User.objects.filter(email__iexact="autre@client-exemple.fr").count() == 1
        other_manager.refresh_from_db()
        assert other_manager.portal_profile.client_account.code == "AUTRE"
        [notice] = mail.outbox
        assert notice.to == ["autre@client-exemple.fr"]
        assert "Claire Gestion (Dupond Industrie)" in notice.body
        assert "/connexion/" in notice.body and "/invitation/" not in notice.body

    def test_an_address_of_his_own_colleague_is_refused(self, manager, dupond):
        with pytest.raises(ServiceError) as exc:
            services.portal_user_invite(invited_by=manager, email="DUPOND@dupond-industrie.fr",
                                        last_name="Doublon")
        assert exc.value.code == "email_taken" and "email" in exc.value.fields

    def test_without_the_right_is_refused(self, dupond):
        with pytest.raises(ServiceError) as exc:
            services.portal_user_invite(invited_by=dupond, email="y@dupond-industrie.fr",
                                        last_name="Y")
        assert exc.value.status_code == 403
        assert not User.objects.filter(email="y@dupond-industrie.fr").exists()

    def test_the_task_does_nothing_once_the_password_is_set(self, manager):
        from workflows.tasks.accounts import portal_user_send_invitation_task

        user = services.portal_user_invite(invited_by=manager, email="z@dupond-industrie.fr",
                                           last_name="Z")
        assert portal_user_send_invitation_task.run(user.pk, manager.pk) is True
        user.set_password("Un-mot-de-passe-solide-2026")
        user.save()
        assert portal_user_send_invitation_task.run(user.pk, manager.pk) is False
        assert portal_user_send_invitation_task.run(999999) is False


class TestSetRights:
    def test_only_within_his_own_rights(self, limited_manager, dupond):
        # Dupond (buyer) holds rights the limited manager does not (place orders, invoices...):
        # they stay as they are; only shared rights may change.
        before = dupond.portal_profile.rights
        profile = services.portal_user_set_rights(
            acting_user=limited_manager, user=dupond,
            rights=["can_view_catalog", "can_place_orders", "can_view_invoices",
                    "can_view_documents"],  # drops prepare_orders, keeps the rest
        )
        assert profile.can_prepare_orders is False
        assert profile.can_place_orders is before["can_place_orders"]
        with pytest.raises(ServiceError) as exc:  # removing a right he does not hold
            services.portal_user_set_rights(acting_user=limited_manager, user=dupond,
                                            rights=["can_view_catalog"])
        assert exc.value.code == "rights_not_held"
        assert PortalProfile.objects.get(user=dupond).can_place_orders is True

    def test_not_his_own(self, manager):
        with pytest.raises(ServiceError) as exc:
            services.portal_user_set_rights(acting_user=manager, user=manager, rights=[])
        assert exc.value.status_code == 403
        assert PortalProfile.objects.get(user=manager).can_manage_users is True

    def test_not_another_companys_user(self, manager, other_manager):
        with pytest.raises(ServiceError):
            services.portal_user_set_rights(acting_user=manager, user=other_manager, rights=[])
        assert PortalProfile.objects.get(user=other_manager).can_view_catalog is True


class TestDeactivate:
    def test_deactivates_a_colleague_not_himself(self, manager, dupond):
        services.portal_user_deactivate(acting_user=manager, user=dupond)
        dupond.refresh_from_db()
        assert dupond.is_active is False
        with pytest.raises(ServiceError):
            services.portal_user_deactivate(acting_user=manager, user=manager)
        manager.refresh_from_db()
        assert manager.is_active is True
