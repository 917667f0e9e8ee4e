"""Who may do what, for accounts; and the predicates every app's rules.py builds on.

Object predicates receive `None` when a permission is checked for a whole request (a list, a
create): they answer True then, and the object check that follows on detail routes decides.
"""

import rules

from . import roles
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


def staff_roles_of(user) -> frozenset[str]:
    """The staff roles the user holds now (roles.py), read once per request: the groups in
    one query, cached on the user object (loaded per request)."""
    user = getattr(user, "_wrapped", user)  # request.user is lazy
    if not is_staff_member(user):
        return frozenset()
    cached = getattr(user, "_staff_roles", None)
    if cached is not None:
        return cached
    held = set()
    if user.is_superuser:
        held.add(roles.ADMINISTRATOR)
    if user.pk is not None:
        held.update(roles.ROLE_BY_GROUP[name] for name in
                    user.groups.filter(name__in=roles.ROLE_BY_GROUP).values_list("name", flat=True))
    technician = technician_profile_of(user)
    if technician is not None:
        held.add(roles.TEAM_LEAD if technician.can_see_all_interventions else roles.TECHNICIAN)
    user._staff_roles = frozenset(held)
    return user._staff_roles


def staff_roles_forget(user) -> None:
    """Drop the cached roles (after a change of groups or technician profile)."""
    user.__dict__.pop("_staff_roles", None)


def has_role(key: str) -> rules.Predicate:
    if key not in roles.STAFF_ROLES:
        raise ValueError(f"unknown staff role {key!r}")

    @rules.predicate(name=f"has_role:{key}")
    def predicate(user) -> bool:
        return key in staff_roles_of(user)

    return predicate


is_administrator = has_role(roles.ADMINISTRATOR)
is_dispatcher = has_role(roles.DISPATCHER)
is_sales_admin = has_role(roles.SALES)
is_content_editor = has_role(roles.EDITOR)
# The back office: a staff role that works in the admin (not a technician role).
is_back_office = is_administrator | is_dispatcher | is_sales_admin | is_content_editor

# How far a staff user reaches an area of the clients' data.
REACH_ALL = "all"
REACH_OWN_INTERVENTIONS = "own_interventions"  # the clients of his interventions only


def staff_reach(user, area: str) -> str | None:
    """REACH_ALL when one of the user's roles reaches the whole area, REACH_OWN_INTERVENTIONS
    when only his technician role does (limited to his own interventions), else None."""
    if area not in roles.AREAS:
        raise ValueError(f"unknown area {area!r}")
    held = staff_roles_of(user)
    if any(area in roles.ROLE_AREAS[key] for key in held if key != roles.TECHNICIAN):
        return REACH_ALL
    if roles.TECHNICIAN in held and area in roles.ROLE_AREAS[roles.TECHNICIAN]:
        if area in roles.ON_SITE_CREATOR_AREAS and technician_profile_of(
                user).can_create_interventions:
            return REACH_ALL
        return REACH_OWN_INTERVENTIONS
    return None


def staff_reaches(area: str) -> rules.Predicate:
    """The user is staff and one of his roles reaches this area (wholly or through his own
    interventions: the selector narrows it then, the object check decides)."""
    if area not in roles.AREAS:
        raise ValueError(f"unknown area {area!r}")

    @rules.predicate(name=f"staff_reaches:{area}")
    def predicate(user) -> bool:
        return staff_reach(user, area) is not None

    return predicate


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
    """The object belongs to the user's company. Staff pass: what they reach is their roles'
    business (`staff_reaches`), and their selectors already scoped the object."""
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
rules.add_perm("accounts.view_client_accounts",
               is_portal_user | staff_reaches(roles.CLIENT_ACCOUNTS))
rules.add_perm("accounts.view_company_sites",
               (is_portal_user | staff_reaches(roles.SITES)) & is_own_company)
rules.add_perm("accounts.view_company_contacts",
               (is_portal_user | staff_reaches(roles.CONTACTS)) & is_own_company)
# The back office edits clients' accounts, sites and contacts (sales and dispatch).
rules.add_perm("accounts.manage_client_accounts",
               is_administrator | is_sales_admin | is_dispatcher)
rules.add_perm(
    "accounts.manage_contacts",
    (has_right("can_manage_contacts") & is_own_company)
    | is_administrator | is_sales_admin | is_dispatcher,
)
rules.add_perm(
    "accounts.manage_portal_users",
    (has_right("can_manage_users") & is_own_company) | is_administrator,
)
# Staff users, their roles and technician profiles: the administrator.
rules.add_perm("accounts.manage_staff", is_administrator)


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


@rules.predicate
def holds_every_right_of(user, target) -> bool:
    """The acting user holds every right the target colleague holds: nobody changes,
    deactivates or reactivates a colleague who holds rights he lacks himself."""
    if target is None:
        return True
    own, theirs = portal_profile_of(user), _profile_with_account(target)
    if own is None or theirs is None:
        return False
    return all(getattr(own, name) for name in PORTAL_RIGHTS if getattr(theirs, name))


manages_users = has_right("can_manage_users")

rules.add_perm("accounts.change_me", rules.is_authenticated & rules.is_active)
rules.add_perm("accounts.view_company", is_portal_user)
# Creating a contact needs a company to create it for: portal users only.
rules.add_perm("accounts.create_company_contact", has_right("can_manage_contacts"))
rules.add_perm("accounts.view_colleagues", manages_users & is_colleague)
rules.add_perm("accounts.invite_colleague", manages_users)
# Nobody changes his own rights or deactivates himself: someone else has to. And only within
# the rights he holds: he changes only rights he holds (the service checks each one), and
# a colleague holding a right he lacks is out of his hands to deactivate or bring back.
rules.add_perm("accounts.change_colleague_rights", manages_users & is_colleague & ~is_self)
manages_colleague = manages_users & is_colleague & ~is_self & holds_every_right_of
rules.add_perm("accounts.deactivate_colleague", manages_colleague)
rules.add_perm("accounts.reactivate_colleague", manages_colleague)
