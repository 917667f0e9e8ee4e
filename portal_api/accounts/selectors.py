"""Reads for accounts, and the isolation gate every app's selectors start from."""

from django.db.models import QuerySet

from . import roles
from .models import ClientAccount, Contact, PortalProfile, Site, User
from .rules import (
    REACH_ALL,
    REACH_OWN_INTERVENTIONS,
    is_staff_member,
    portal_profile_of,
    staff_reach,
)


def client_account_id_for(user: User) -> int | None:
    """The company a portal user acts for, or None (no access, or inactive company)."""
    profile = portal_profile_of(user)
    return profile.client_account_id if profile else None


def technician_client_ids(user: User) -> QuerySet:
    """The companies of the interventions a technician is assigned to (a subquery)."""
    from portal_api.service.models import Intervention

    return (Intervention.objects.filter(technicians=user).order_by()
            .values("client_account_id"))


def scope_to_client(queryset: QuerySet, *, user: User, area: str,
                    field: str = "client_account") -> QuerySet:
    """Isolation, applied before anything else. A portal user reaches only his own company;
    a staff user the companies his roles reach in this `area` of the data (roles.ROLE_AREAS):
    all of them, those of his own interventions (a technician limited to his own), or none;
    anyone else nothing."""
    lookup = "pk" if field == "pk" else f"{field}_id"
    if is_staff_member(user):
        reach = staff_reach(user, area)
        if reach == REACH_ALL:
            return queryset
        if reach == REACH_OWN_INTERVENTIONS:
            return queryset.filter(**{f"{lookup}__in": technician_client_ids(user)})
        return queryset.none()
    account_id = client_account_id_for(user)
    if account_id is None:
        return queryset.none()
    return queryset.filter(**{lookup: account_id})


def user_get_me(*, user: User) -> User:
    """The acting user with what /api/v1/me/ shows, in one query."""
    return (
        User.objects.select_related(
            "portal_profile__client_account", "technician_profile"
        ).get(pk=user.pk)
    )


def client_account_list(*, user: User) -> QuerySet[ClientAccount]:
    return scope_to_client(ClientAccount.objects.all(), user=user, area=roles.CLIENT_ACCOUNTS,
                           field="pk")


def site_list(*, user: User) -> QuerySet[Site]:
    return scope_to_client(Site.objects.select_related("client_account"), user=user,
                           area=roles.SITES).filter(
        active=True
    )


def contact_list(*, user: User) -> QuerySet[Contact]:
    return scope_to_client(Contact.objects.select_related("client_account"), user=user,
                           area=roles.CONTACTS).filter(
        active=True
    )


def portal_profile_list(*, user: User) -> QuerySet[PortalProfile]:
    return scope_to_client(
        PortalProfile.objects.select_related("user", "client_account"), user=user,
        area=roles.PORTAL_USERS,
    )


def company_get(*, user: User) -> ClientAccount | None:
    """The acting portal user's company (None for staff and users without access)."""
    return client_account_list(user=user).filter(
        pk=client_account_id_for(user) or 0
    ).first()


def colleague_list(*, user: User) -> QuerySet[User]:
    """The portal users of the acting user's company, himself included, deactivated ones too
    (so that they can be told apart from never invited)."""
    return scope_to_client(
        User.objects.filter(is_staff=False, portal_profile__isnull=False)
        .select_related("portal_profile__client_account"),
        user=user, area=roles.PORTAL_USERS, field="portal_profile__client_account",
    )
