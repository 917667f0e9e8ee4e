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


# Account, contacts and colleagues (issue 4) -------------------------------------------------

def _full_clean_or_400(instance, *, exclude: list[str] | None = None) -> None:
    """Model validation; the API's exception handler turns a ValidationError into a 400 that
    names each field."""
    instance.full_clean(exclude=exclude)


@transaction.atomic
def user_update_details(
    *, user: User, first_name: str | None = None, last_name: str | None = None,
    phone: str | None = None,
) -> User:
    """A user edits his own name and phone (the e-mail is his login: staff change it)."""
    changed = []
    for name, value in (("first_name", first_name), ("last_name", last_name), ("phone", phone)):
        if value is not None:
            setattr(user, name, value.strip())
            changed.append(name)
    if changed:
        _full_clean_or_400(user, exclude=["password"])
        user.save(update_fields=changed)
    return user


@transaction.atomic
def contact_update(*, contact: Contact, **fields: str) -> Contact:
    """Change a contact's name, role, e-mail or phones (nothing else: not its company)."""
    allowed = {"first_name", "last_name", "role", "email", "phone", "mobile"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"contact fields not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_deactivate(*, contact: Contact) -> Contact:
    """'Deleting' a contact hides it from the portal; tickets that name it keep it."""
    if contact.active:
        contact.active = False
        contact.save(update_fields=["active", "updated_at"])
    return contact


def _right_label(name: str) -> str:
    return str(PORTAL_RIGHTS[name])


def _check_rights_within(*, acting_user: User, current: dict[str, bool],
                         wanted: dict[str, bool]) -> None:
    """A user hands out (or takes away) only rights he holds himself."""
    from django.utils.translation import gettext as _

    from portal_api.common.errors import ServiceError

    from .rules import portal_profile_of

    own = portal_profile_of(acting_user)
    held = {name for name, value in (own.rights if own else {}).items() if value}
    refused = [name for name, value in wanted.items()
               if name not in held and bool(current.get(name, False)) != bool(value)]
    if refused:
        raise ServiceError(
            _("Vous ne pouvez accorder ou retirer que des droits que vous avez vous-même."),
            code="rights_not_held",
            fields={"rights": [
                _("Droit que vous n'avez pas : %(right)s.") % {"right": _right_label(name)}
                for name in refused
            ]},
        )


def _require(acting_user: User, perm: str, obj=None) -> None:
    """Services are safe to call on their own: the same rule as the endpoint."""
    from django.utils.translation import gettext as _

    from portal_api.common.errors import ServiceError

    if not acting_user.has_perm(perm, obj):
        raise ServiceError(_("Vous n'avez pas le droit d'effectuer cette action."),
                           code="permission_denied", status_code=403)


@transaction.atomic
def portal_user_invite(
    *, invited_by: User, email: str, first_name: str = "", last_name: str = "",
    rights: list[str] | tuple[str, ...] | set[str] = (),
) -> User | None:
    """Invite a colleague: a portal user of the inviter's company, without a password, with
    rights among the inviter's own; the invitation e-mail (a link to choose a password) leaves
    once the transaction has committed. Returns the new user.

    An address that already has an account outside the inviter's company (another client's
    user, staff) is not revealed: no account is created or changed, its owner gets an e-mail
    saying that someone tried to invite him, and None is returned, for the caller to answer
    exactly as for a new colleague. An address of one of the inviter's own colleagues (whom he
    sees in his list anyway) is refused as already taken."""
    from django.utils.translation import gettext as _

    from portal_api.common.errors import ServiceError

    from .rules import portal_profile_of

    _require(invited_by, "accounts.invite_colleague")
    company = portal_profile_of(invited_by).client_account
    unknown = [name for name in rights if name not in PORTAL_RIGHTS]
    if unknown:
        raise ValueError(f"unknown portal rights {unknown!r}")
    wanted = {name: name in set(rights) for name in PORTAL_RIGHTS}
    _check_rights_within(acting_user=invited_by, current={}, wanted=wanted)
    email = User.objects.normalize_email(email.strip()).lower()
    existing = (User.objects.select_related("portal_profile")
                .filter(email__iexact=email).first())
    if existing is not None:
        profile = getattr(existing, "portal_profile", None)
        if not existing.is_staff and profile and profile.client_account_id == company.pk:
            raise ServiceError(
                _("Cette personne a déjà un accès au portail : elle est dans votre liste."),
                code="email_taken",
                fields={"email": [_("Un de vos collègues a déjà cette adresse e-mail.")]},
            )
        if existing.is_active:
            from workflows.tasks.accounts import portal_user_send_invitation_notice_task

            portal_user_send_invitation_notice_task.delay_on_commit(existing.pk, invited_by.pk)
        return None
    user = user_create(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    profile = PortalProfile(user=user, client_account=company)
    for name, value in wanted.items():
        setattr(profile, name, value)
    profile.role = next(
        (role for role, granted in ROLE_PRESETS.items()
         if {n for n, v in wanted.items() if v} == granted),
        PortalRole.CUSTOM,
    )
    profile.full_clean()
    profile.save()

    from workflows.tasks.accounts import portal_user_send_invitation_task

    portal_user_send_invitation_task.delay_on_commit(user.pk, invited_by.pk)
    return user


@transaction.atomic
def portal_user_set_rights(*, acting_user: User, user: User, rights: list[str] | set[str]
                           ) -> PortalProfile:
    """A manager changes a colleague's rights, only among the rights he holds himself (the
    others stay as they are); never his own."""
    _require(acting_user, "accounts.change_colleague_rights", user)
    unknown = [name for name in rights if name not in PORTAL_RIGHTS]
    if unknown:
        raise ValueError(f"unknown portal rights {unknown!r}")
    profile = PortalProfile.objects.select_for_update().get(user=user)
    wanted = {name: name in set(rights) for name in PORTAL_RIGHTS}
    _check_rights_within(acting_user=acting_user, current=profile.rights, wanted=wanted)
    return portal_profile_set_rights(profile=profile, rights=wanted)


@transaction.atomic
def portal_user_deactivate(*, acting_user: User, user: User) -> User:
    """The colleague can no longer log in (his sessions stop working too); his orders, tickets
    and history stay."""
    _require(acting_user, "accounts.deactivate_colleague", user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def portal_user_reactivate(*, acting_user: User, user: User) -> User:
    """A deactivated colleague may log in again, with the rights he had."""
    _require(acting_user, "accounts.reactivate_colleague", user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def portal_user_invitation_send(*, user: User, invited_by: User | None = None) -> None:
    """The invitation e-mail: a link to the page where the colleague chooses his password
    (Django's password-reset token: it stops working once the password is set)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invitation_confirm", kwargs={"uidb64": uid, "token": token})
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    try:
        from cms.models import BrandingSettings

        brand_name = BrandingSettings.load().company_name
    except Exception:  # no settings row yet (fresh database)
        brand_name = ""
    context = {
        "user": user, "invited_by": invited_by, "link": f"{base}{path}",
        "company": user.portal_profile.client_account, "brand_name": brand_name or "Atelier Portal",
    }
    subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def portal_user_invitation_notice_send(*, user: User, invited_by: User) -> None:
    """The e-mail to an address that a client's manager tried to invite but that already has
    an account (portal_user_invite): nothing was changed; how to log in, or whom to tell if
    this was not expected. Nothing in the manager's answer reveals the account."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .rules import portal_profile_of

    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    try:
        from cms.models import BrandingSettings

        brand_name = BrandingSettings.load().company_name
    except Exception:  # no settings row yet (fresh database)
        brand_name = ""
    inviter_profile = portal_profile_of(invited_by)
    context = {
        "user": user, "invited_by": invited_by,
        "company": inviter_profile.client_account if inviter_profile else None,
        "login_link": f"{base}{reverse('accounts:login')}",
        "reset_link": f"{base}{reverse('accounts:password_reset')}",
        "brand_name": brand_name or "Atelier Portal",
    }
    subject = " ".join(render_to_string("accounts/email/invitation_existing_subject.txt",
                                        context).split())
    body = render_to_string("accounts/email/invitation_existing.txt", context)
    send_mail(subject, body, None, [user.email])


def staff_role_groups_ensure(*, apps=None) -> list:
    """The back-office roles' groups (roles.STAFF_ROLES) with the Django/Wagtail permissions
    each needs: created if missing, their permissions completed (never removed, so that an
    administrator's additions stay). Run by a data migration (so that `migrate` alone gives a
    working install) and after every `migrate` (models added later reach the administrator).
    `apps`: the migration's historical registry, or the project's."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from . import roles

    apps = apps or global_apps
    # Permissions are created after the migrations; a data migration needs them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=global_apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    def permission(app_label: str, codename: str):
        # None for one that a later migration creates (wagtail-localize's submit_translation):
        # the run after `migrate` adds it.
        return Permission.objects.filter(content_type__app_label=app_label,
                                         codename=codename).first()

    groups = []
    for role in roles.STAFF_ROLES.values():
        if role.group is None:
            continue
        group, _ = Group.objects.get_or_create(name=role.group)
        if role.all_permissions:
            group.permissions.add(*Permission.objects.all())
        else:
            group.permissions.add(*filter(None, (permission(*key) for key in role.permissions)))
        if root_page is not None:
            for codename in role.page_permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission("wagtailcore", codename))
        if root_collection is not None:
            for key in role.collection_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(*key))
        groups.append(group)
    return groups


def staff_role_grant(*, user: User, role: str) -> User:
    """Give a staff user a back-office role (its group); he becomes staff if he was not."""
    from django.contrib.auth.models import Group

    from . import roles
    from .rules import staff_roles_forget

    spec = roles.STAFF_ROLES[role]
    if spec.group is None:
        raise ValueError(f"{role!r} comes from the technician profile, not from a group")
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=spec.group))
    staff_roles_forget(user)
    return user
