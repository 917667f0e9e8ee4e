"""Who may do what, for accounts; and the predicates every app's rules.py builds on.

Object predicates receive `None` when a permission is checked for a whole request (a list, a
create): they answer True then, and the object check that follows on detail routes decides.
"""

import rules

from .models import PORTAL_RIGHTS, PortalProfile, User


def _profile_with_account(user):
    """user.portal_profile with its company, read in one query the first time in a request
    (the user object is loaded per request) and cached where the accessor caches it, so that
    `user.portal_profile` afterwards costs nothing; None when the user has no profile."""
    reverse = User.portal_profile.related
    if reverse.is_cached(user):
        return reverse.get_cached_value(user)
    try:
        profile = PortalProfile._base_manager.select_related("client_account").get(
            user_id=user.pk)
    except PortalProfile.DoesNotExist:
        profile = None
    reverse.set_cached_value(user, profile)  # None too, as the accessor itself does
    if profile is not None:
        PortalProfile.user.field.set_cached_value(profile, user)
    return profile


def portal_profile_of(user):
    """The user's PortalProfile if it gives portal access now (active user, active company)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_staff:
        return None
    profile = _profile_with_account(getattr(user, "_wrapped", user))  # request.user is lazy
    return profile if profile is not None and profile.client_account.active else None


def technician_profile_of(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return None
    try:
        profile = user.technician_profile
    except Exception:
        return None
    return profile if profile.active else None


@rules.predicate
def is_portal_user(user) -> bool:
    return portal_profile_of(user) is not None


@rules.predicate
def is_technician(user) -> bool:
    return technician_profile_of(user) is not None


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


@rules.predicate
def technician_sees_all(user) -> bool:
    profile = technician_profile_of(user)
    return bool(profile and profile.can_see_all_interventions)


@rules.predicate
def technician_creates_interventions(user) -> bool:
    profile = technician_profile_of(user)
    return bool(profile and profile.can_create_interventions)


def has_right(name: str) -> rules.Predicate:
    """The portal user holds this right (a field of PortalProfile)."""
    if name not in PORTAL_RIGHTS:
        raise ValueError(f"unknown portal right {name!r}")

    @rules.predicate(name=f"has_right:{name}")
    def predicate(user) -> bool:
        profile = portal_profile_of(user)
        return bool(profile and getattr(profile, name))

    return predicate


@rules.predicate
def is_own_company(user, obj) -> bool:
    """The object belongs to the user's company (staff reach every company)."""
    if obj is None:
        return True
    if is_staff_member(user):
        return True
    profile = portal_profile_of(user)
    return bool(profile and obj.client_account_id == profile.client_account_id)


# Areas are rules, not permissions: Django grants every permission to a superuser, but an
# administrator without a technician profile has no intranet.
rules.add_rule("access_extranet", is_portal_user)
rules.add_rule("access_intranet", is_technician)
rules.add_perm("accounts.view_me", rules.is_authenticated)
rules.add_perm("accounts.view_company_sites", (is_portal_user | is_staff_member) & is_own_company)
rules.add_perm(
    "accounts.view_company_contacts", (is_portal_user | is_staff_member) & is_own_company
)
rules.add_perm(
    "accounts.manage_contacts",
    (has_right("can_manage_contacts") | is_staff_member) & is_own_company,
)
rules.add_perm(
    "accounts.manage_portal_users",
    (has_right("can_manage_users") | is_staff_member) & is_own_company,
)


# Account, contacts and colleagues (issue 4).
@rules.predicate
def is_self(user, target) -> bool:
    """The target user is the acting user himself."""
    return target is not None and getattr(target, "pk", None) == user.pk


@rules.predicate
def is_colleague(user, target) -> bool:
    """The target user is a portal user of the acting user's company (None: whole request)."""
    if target is None:
        return True
    profile = portal_profile_of(user)
    if profile is None:
        return False
    try:
        target_profile = target.portal_profile
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return target_profile.client_account_id == profile.client_account_id


manages_users = has_right("can_manage_users")

rules.add_perm("accounts.change_me", rules.is_authenticated & rules.is_active)
rules.add_perm("accounts.view_company", is_portal_user)
# Creating a contact needs a company to create it for: portal users only.
rules.add_perm("accounts.add_contact", has_right("can_manage_contacts"))
rules.add_perm("accounts.view_colleagues", manages_users & is_colleague)
rules.add_perm("accounts.invite_colleague", manages_users)
# Nobody changes his own rights or deactivates himself: someone else has to.
rules.add_perm("accounts.change_colleague_rights", manages_users & is_colleague & ~is_self)
rules.add_perm("accounts.deactivate_colleague", manages_users & is_colleague & ~is_self)
