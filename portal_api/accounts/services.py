from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import (
    PORTAL_RIGHTS,
    ROLE_PRESETS,
    ClientAccount,
    Contact,
    PortalProfile,
    PortalRole,
    Site,
    TechnicianProfile,
    User,
)


@transaction.atomic
def user_create(
    *, email: str, first_name: str = "", last_name: str = "", password: str | None = None,
    is_staff: bool = False, is_superuser: bool = False, phone: str = "",
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(), first_name=first_name,
        last_name=last_name, is_staff=is_staff or is_superuser, is_superuser=is_superuser,
        phone=phone,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def portal_profile_create(
    *, user: User, client_account: ClientAccount, role: str = PortalRole.CUSTOM,
    rights: dict[str, bool] | None = None,
) -> PortalProfile:
    """Give a (non-staff) user access to the portal for one company. The role preset fills the
    rights; `rights` then overrides single ones."""
    profile = PortalProfile(user=user, client_account=client_account)
    profile.apply_preset(role)
    for name, value in (rights or {}).items():
        if name not in PORTAL_RIGHTS:
            raise ValueError(f"unknown portal right {name!r}")
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def portal_profile_set_rights(
    *, profile: PortalProfile, role: str | None = None, rights: dict[str, bool] | None = None
) -> PortalProfile:
    if role is not None:
        profile.apply_preset(role)
    for name, value in (rights or {}).items():
        if name not in PORTAL_RIGHTS:
            raise ValueError(f"unknown portal right {name!r}")
        setattr(profile, name, value)
    if rights and role is None:
        # Rights changed by hand: the profile no longer matches a preset unless it happens to.
        profile.role = next(
            (r for r, granted in ROLE_PRESETS.items()
             if {n for n, v in profile.rights.items() if v} == granted),
            PortalRole.CUSTOM,
        )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def technician_profile_create(
    *, user: User, can_see_all_interventions: bool = False, can_create_interventions: bool = True,
    color: str = "#1f6feb",
) -> TechnicianProfile:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    profile = TechnicianProfile(
        user=user, can_see_all_interventions=can_see_all_interventions,
        can_create_interventions=can_create_interventions, color=color,
    )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def client_account_create(
    *, code: str, name: str, siret: str = "", vat_number: str = "", address: str = "",
    postal_code: str = "", city: str = "", email: str = "", phone: str = "", active: bool = True,
) -> ClientAccount:
    account = ClientAccount(
        code=code, name=name, siret=siret, vat_number=vat_number, address=address,
        postal_code=postal_code, city=city, email=email, phone=phone, active=active,
    )
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def site_create(
    *, client_account: ClientAccount, name: str, address: str = "", postal_code: str = "",
    city: str = "",
) -> Site:
    site = Site(client_account=client_account, name=name, address=address,
                postal_code=postal_code, city=city)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def contact_create(
    *, client_account: ClientAccount, last_name: str, first_name: str = "", role: str = "",
    email: str = "", phone: str = "", mobile: str = "", user: User | None = None,
) -> Contact:
    contact = Contact(client_account=client_account, first_name=first_name, last_name=last_name,
                      role=role, email=email, phone=phone, mobile=mobile, user=user)
    contact.full_clean()
    contact.save()
    return contact
