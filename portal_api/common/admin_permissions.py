"""The back office asks `rules`, as the API does (DESIGN.md, "one mechanism, two layers").

Wagtail decides who may list, add, change or delete a model's objects through a *permission
policy*. The portal's models get a `RulesPermissionPolicy` instead of Wagtail's Django model
permissions: each action maps to a permission of the apps' rules.py (`ADMIN_RIGHTS`), and what
the user reaches of the model is what the app's selector gives him (the API's isolation). So:

- a menu entry, a listing, an edit or inspect screen opens for whom the rule allows (else 403);
- a listing, a chooser and the related-object selects show what the selector gives (the API's
  rows); an object beyond it is a 404, as in the API;
- `wagtailadmin.access_admin` (carried by the back-office role groups) stays the door to
  /admin/: a technician, who has no back-office group, has no admin at all.

Deleting is refused (no rule) except for GED files: the portal deactivates, cancels or closes
its objects, it keeps their history.

The policies are registered by `PortalSnippetViewSet` (common/admin_forms.py) for its model;
a portal screen without its row in `ADMIN_RIGHTS` fails at start-up.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.functional import LazyObject, empty
from django.utils.module_loading import import_string
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from portal_api.accounts.rules import is_staff_member

# Wagtail opens a listing, an inspect view or a chooser to whoever holds any of these.
ANY_ACTION = ("add", "change", "delete", "view")


# ---------------------------------------------------------------------------------------------
# What each model's admin screens ask
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminRights:
    """The rules permission of each admin action on a model, and the selector giving what the
    user reaches of it (a dotted path: fn(*, user) -> QuerySet). `add` defaults to `change`;
    no `delete`: refused."""

    view: str
    change: str
    reach: str
    add: str | None = None
    delete: str | None = None

    def permissions(self) -> dict[str, str | None]:
        return {"view": self.view, "change": self.change, "add": self.add or self.change,
                "delete": self.delete}


_HERE = "portal_api.common.admin_permissions"

ADMIN_RIGHTS: dict[str, AdminRights] = {
    # Clients: the sales administration and the dispatch edit them; technicians read them
    # (intranet only). Sites and contacts are listed inactive ones included (to reactivate).
    "accounts.ClientAccount": AdminRights(
        "accounts.view_client_accounts", "accounts.manage_client_accounts",
        "portal_api.accounts.selectors.client_account_list"),
    "accounts.Site": AdminRights(
        "accounts.view_client_accounts", "accounts.manage_client_accounts",
        f"{_HERE}.site_reach"),
    "accounts.Contact": AdminRights(
        "accounts.view_client_accounts", "accounts.manage_contacts",
        f"{_HERE}.contact_reach"),
    "accounts.PortalProfile": AdminRights(
        "accounts.manage_portal_users", "accounts.manage_portal_users",
        "portal_api.accounts.selectors.portal_profile_list"),
    "accounts.TechnicianProfile": AdminRights(
        "accounts.manage_staff", "accounts.manage_staff", f"{_HERE}.technician_profile_reach"),
    "catalog.ArticleFamily": AdminRights(
        "catalog.browse_catalog", "catalog.manage_catalog", f"{_HERE}.article_family_reach"),
    "catalog.Article": AdminRights(
        "catalog.browse_catalog", "catalog.manage_catalog", f"{_HERE}.article_reach"),
    "orders.Order": AdminRights(
        "orders.view_orders", "orders.manage_orders", "portal_api.orders.selectors.order_list"),
    "billing.Invoice": AdminRights(
        "billing.view_invoices", "billing.manage_invoices",
        "portal_api.billing.selectors.invoice_list"),
    "billing.Contract": AdminRights(
        "billing.view_contracts", "billing.manage_contracts",
        "portal_api.billing.selectors.contract_list"),
    "service.Equipment": AdminRights(
        "service.consult_equipment", "service.manage_equipment",
        "portal_api.service.selectors.equipment_list"),
    "service.Ticket": AdminRights(
        "service.view_tickets", "service.manage_tickets",
        "portal_api.service.selectors.ticket_list"),
    "service.Intervention": AdminRights(
        "service.consult_intervention", "service.manage_interventions",
        "portal_api.service.selectors.intervention_list"),
    # The GED: each file by its source's right (documents.rules.KIND_PERMISSIONS, applied by
    # document_list); a wrong upload may be deleted by whom manages the GED.
    "documents.Document": AdminRights(
        "documents.view_documents", "documents.manage_documents",
        "portal_api.documents.selectors.document_list", delete="documents.manage_documents"),
}


# Reaches for which the API's selector is not the admin's list: the API shows active rows
# only, the back office also the inactive ones, to reactivate them (same isolation gate).


def site_reach(*, user) -> QuerySet:
    from portal_api.accounts import roles
    from portal_api.accounts.models import Site
    from portal_api.accounts.selectors import scope_to_client

    return scope_to_client(Site.objects.all(), user=user, area=roles.SITES)


def contact_reach(*, user) -> QuerySet:
    from portal_api.accounts import roles
    from portal_api.accounts.models import Contact
    from portal_api.accounts.selectors import scope_to_client

    return scope_to_client(Contact.objects.all(), user=user, area=roles.CONTACTS)


def technician_profile_reach(*, user) -> QuerySet:
    """The technicians are staff: whom `accounts.manage_staff` allows sees them all."""
    from portal_api.accounts.models import TechnicianProfile

    if user.has_perm("accounts.manage_staff"):
        return TechnicianProfile.objects.all()
    return TechnicianProfile.objects.none()


def article_reach(*, user) -> QuerySet:
    """The catalogue's managers reach inactive and hidden articles too; the others what the
    catalogue shows them."""
    from portal_api.catalog.models import Article
    from portal_api.catalog.selectors import article_list

    if user.has_perm("catalog.manage_catalog"):
        return Article.objects.all()
    return article_list(user=user)


def article_family_reach(*, user) -> QuerySet:
    from portal_api.catalog.models import ArticleFamily
    from portal_api.catalog.selectors import article_family_list

    if user.has_perm("catalog.manage_catalog"):
        return ArticleFamily.objects.all()
    return article_family_list(user=user)


# ---------------------------------------------------------------------------------------------
# The policy
# ---------------------------------------------------------------------------------------------


def _unwrap(user):
    """request.user is a lazy object: the per-request memo lives on the real user."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class RulesPermissionPolicy(BasePermissionPolicy):
    """A Wagtail permission policy that asks `rules` (`user.has_perm`) for each action and the
    app's selector for the objects the user reaches. Only active staff pass: a portal user has
    no back office, whatever his rights in the extranet."""

    def __init__(self, model, *, permissions: dict[str, str | None],
                 reach: Callable[..., QuerySet] | str):
        super().__init__(model)
        self.permissions = dict(permissions)
        self._reach = reach

    # -- rights ----------------------------------------------------------------------------

    def permission_name(self, action: str) -> str | None:
        return self.permissions.get(action)

    def user_has_permission(self, user, action) -> bool:
        perm = self.permission_name(action)
        return bool(perm) and is_staff_member(user) and user.has_perm(perm)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        perm = self.permission_name(action)
        return (bool(perm) and is_staff_member(user) and user.has_perm(perm, instance)
                and self.user_reaches(user, instance))

    def users_with_any_permission(self, actions) -> QuerySet:
        User = get_user_model()
        staff = User.objects.filter(is_active=True, is_staff=True)
        return User.objects.filter(pk__in=[
            u.pk for u in staff if self.user_has_any_permission(u, actions)])

    def users_with_any_permission_for_instance(self, actions, instance) -> QuerySet:
        User = get_user_model()
        staff = User.objects.filter(is_active=True, is_staff=True)
        return User.objects.filter(pk__in=[
            u.pk for u in staff
            if self.user_has_any_permission_for_instance(u, actions, instance)])

    # -- reach -----------------------------------------------------------------------------

    def reach(self, user) -> QuerySet:
        """What the user reaches of the model: the app's selector."""
        if isinstance(self._reach, str):
            self._reach = import_string(self._reach)
        return self._reach(user=_unwrap(user))

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.reach(user)

    def scope(self, queryset: QuerySet, user, actions: Iterable[str] = ANY_ACTION) -> QuerySet:
        """Narrow a queryset of the model (a listing's, with its own joins and annotations)
        to what the user reaches."""
        reached = self.instances_user_has_any_permission_for(user, actions)
        return queryset.filter(pk__in=reached.order_by().values("pk"))

    def _memo(self, user) -> dict:
        # Per request: the user object is loaded per request.
        return _unwrap(user).__dict__.setdefault("_admin_reach", {}).setdefault(
            self.model._meta.label, {})

    def reach_prime(self, user, pks: Iterable) -> None:
        """Learn in one query which of these objects the user reaches (a listing's links)."""
        memo = self._memo(user)
        wanted = {pk for pk in pks if pk is not None and pk not in memo}
        if not wanted:
            return
        reached = set(self.reach(user).filter(pk__in=wanted).values_list("pk", flat=True))
        memo.update({pk: pk in reached for pk in wanted})

    def user_reaches(self, user, instance) -> bool:
        if instance is None or instance.pk is None:
            return True
        self.reach_prime(user, [instance.pk])
        return self._memo(user)[instance.pk]


def rules_policy_for(model: type[Model]) -> RulesPermissionPolicy:
    rights = ADMIN_RIGHTS.get(model._meta.label)
    if rights is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} has a back-office screen but no row in "
            f"portal_api.common.admin_permissions.ADMIN_RIGHTS: say which rules open it.")
    return RulesPermissionPolicy(model, permissions=rights.permissions(), reach=rights.reach)


def rules_policy_register(model: type[Model]) -> RulesPermissionPolicy:
    """Register the model's rules policy (once), before Wagtail falls back on its own."""
    policy = policy_registry.get_by_type(model, fallback=False)
    if isinstance(policy, RulesPermissionPolicy) and policy.model is model:
        return policy
    policy = rules_policy_for(model)
    register_permission_policy(model, policy, exact_class=True)
    return policy


def staff_screens_policies_register() -> None:
    """Wagtail's users and groups screens (staff users, their roles, the portal users'
    logins): whom `accounts.manage_staff` allows. Called once Wagtail registered its own
    (PortalUsersAppConfig.ready), which it replaces."""
    from django.contrib.auth.models import Group

    for model in (get_user_model(), Group):
        register_permission_policy(model, RulesPermissionPolicy(
            model, permissions=dict.fromkeys(ANY_ACTION, "accounts.manage_staff"),
            reach=lambda *, user, model=model: model._default_manager.all(),
        ), exact_class=True)


def rules_policy(model: type[Model]) -> RulesPermissionPolicy | None:
    """The model's rules policy, if it has one."""
    policy = policy_registry.get_by_type(model, fallback=False)
    return policy if isinstance(policy, RulesPermissionPolicy) else None


def reach_prime(user, objects: Iterable) -> None:
    """Learn, one query per model, whether the user reaches each of these objects (the links
    a listing shows to other objects)."""
    by_model: dict[type, list] = {}
    for obj in objects:
        if obj is not None and getattr(obj, "pk", None) is not None:
            by_model.setdefault(type(obj), []).append(obj.pk)
    for model, pks in by_model.items():
        policy = rules_policy(model)
        if policy is not None:
            policy.reach_prime(user, pks)


# ---------------------------------------------------------------------------------------------
# Views and forms
# ---------------------------------------------------------------------------------------------


class ReachedObjectMixin:
    """For the object views (edit, inspect, delete, history, usage): an object beyond the
    user's reach is a 404, as in the API. A user holding no right at all on the model gets
    the 403 of Wagtail's permission check instead."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = rules_policy(self.model)
        user = self.request.user
        if (obj is not None and policy is not None
                and policy.user_has_any_permission(user, ANY_ACTION)
                and not policy.user_reaches(user, obj)):
            raise Http404
        return obj


class ReachedListingMixin:
    """For the listings: the rows the user reaches (the app's selector)."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        policy = rules_policy(self.model)
        return queryset if policy is None else policy.scope(queryset, self.request.user)


class _ReachedChooserMixin:
    """The snippet choosers (modals listing a model's objects) ask the same policy: Wagtail
    opens them to anyone in the admin."""

    def dispatch(self, request, *args, **kwargs):
        policy = rules_policy(self.model_class)
        if policy is not None and not policy.user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _reached(self, queryset):
        policy = rules_policy(self.model_class)
        return queryset if policy is None else policy.scope(queryset, self.request.user)


class _ReachedChooseView(_ReachedChooserMixin, ChooseView):
    def get_object_list(self):
        return self._reached(super().get_object_list())


class _ReachedChooseResultsView(_ReachedChooserMixin, ChooseResultsView):
    def get_object_list(self):
        return self._reached(super().get_object_list())


class _ReachedChosenView(_ReachedChooserMixin, SnippetChosenView):
    def get_object(self, pk):
        return self._reached(self.model_class.objects.all()).get(pk=pk)


class _ReachedChosenMultipleView(_ReachedChooserMixin, SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self._reached(super().get_objects(pks))


class ReachedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = _ReachedChooseView
    choose_results_view_class = _ReachedChooseResultsView
    chosen_view_class = _ReachedChosenView
    chosen_multiple_view_class = _ReachedChosenMultipleView


def limit_choices_to_reach(form, user) -> None:
    """The selects of a back-office form (client, site, equipment, order…) offer what the user
    reaches of each model, plus the current value (so that saving keeps it)."""
    if user is None:
        return
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        policy = rules_policy(queryset.model)
        if policy is None or queryset.model._meta.label not in ADMIN_RIGHTS:
            continue  # users (technicians, requesters…) are not scoped by these screens
        keep = Q(pk__in=policy.instances_user_has_any_permission_for(user, ANY_ACTION)
                 .order_by().values("pk"))
        current = form.initial.get(name)
        if current not in (None, "", [], ()):
            values = current if isinstance(current, (list, tuple, set, QuerySet)) else [current]
            keep |= Q(pk__in=[getattr(v, "pk", v) for v in values])
        field.queryset = queryset.filter(keep)
