"""Status moves in the back office: the status is read-only in the edit forms; the edit view's
header offers one button per move the object allows now (``allowed_next_statuses()``), to the
staff holding the entity's « manage » permission (rules). Each button opens a small form
(the new status, a reason) that hands the move to the entity's ``*_set_status`` service, which
checks the pipeline and does the move's side effects; its refusal is shown on the form.

A viewset opts in with ``StatusMovesViewSetMixin`` and says which service and permission:

    class InterventionViewSet(StatusMovesViewSetMixin, PortalSnippetViewSet):
        status_service = staticmethod(intervention_set_status)
        status_permission = "service.manage_interventions"
"""

from collections.abc import Callable

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import EditView

from .errors import ServiceError


def may_move_status(user, permission: str, obj) -> bool:
    return bool(permission) and user.has_perm(permission, obj)


def status_move_url(url_name: str, obj, status: str | None = None) -> str:
    url = reverse(url_name, args=[quote(obj.pk)])
    return f"{url}?{urlencode({'status': status})}" if status else url


def ordered_next_statuses(obj) -> list[str]:
    """The statuses the object may move to now, in the order of the field's choices."""
    allowed = obj.allowed_next_statuses()
    return [value for value, _label in type(obj)._meta.get_field("status").flatchoices
            if value in allowed]


def status_buttons(obj, user, *, url_name: str, permission: str,
                   labels: dict | None = None) -> list[HeaderButton]:
    """One header button per move the object allows now, for a user who may make them."""
    if obj is None or not may_move_status(user, permission, obj):
        return []
    labels = labels or {}
    return [
        HeaderButton(
            str(labels.get(status) or _("Passer à « %(status)s »") % {
                "status": obj.status_label(status)}),
            url=status_move_url(url_name, obj, status), icon_name="arrow-right",
            priority=20 + i, attrs={"data-portal-status": status},
        )
        for i, status in enumerate(ordered_next_statuses(obj))
    ]


class StatusMoveForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Nouveau statut"))
    reason = forms.CharField(
        label=gettext_lazy("Motif"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Obligatoire pour annuler une intervention ; pour clôturer une "
                               "demande, c'est la réponse envoyée au client."),
    )

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["status"].choices = [
            (status, instance.status_label(status)) for status in ordered_next_statuses(instance)
        ]


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """A service's refusal on the form: its message above the form (unless each field it names
    is one of the form's), each field's message on that field or above the form."""
    fields = error.fields or {}
    if not fields or set(fields) - set(form.fields):
        form.add_error(None, error.message)
    for name, messages_ in fields.items():
        target = name if name in form.fields else None
        for message in messages_ if isinstance(messages_, (list, tuple)) else [messages_]:
            form.add_error(target, str(message))


class StatusMoveView(WagtailAdminTemplateMixin, FormView):
    """Change one object's status through its ``*_set_status`` service."""

    model = None
    status_service: Callable | None = None
    status_permission = ""
    edit_url_name = None
    index_url_name = None
    header_icon = ""
    template_name = "admin/status_move.html"
    form_class = StatusMoveForm
    page_title = gettext_lazy("Changer le statut")
    submit_button_label = gettext_lazy("Changer le statut")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Loaded through the model's admin reach (the app's selector): beyond it, a 404 as
        # everywhere else, before any right is asked.
        # Someone whose roles do not reach the model at all is refused (403) first.
        from .admin_permissions import ANY_ACTION, rules_policy_for

        policy = rules_policy_for(self.model)
        if not policy.user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        self.object = get_object_or_404(policy.reach(request.user), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not may_move_status(request.user, self.status_permission, self.object):
            raise PermissionDenied
        if not self.object.allowed_next_statuses():
            messages.error(request, _("Le statut de %(object)s ne peut plus changer.") % {
                "object": self.object})
            return redirect(self.get_edit_url())
        return super().dispatch(request, *args, **kwargs)

    def get_edit_url(self) -> str:
        return reverse(self.edit_url_name, args=[quote(self.object.pk)])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name),
             "label": str(self.model._meta.verbose_name_plural).capitalize()},
            {"url": self.get_edit_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_initial(self):
        return {"status": self.request.GET.get("status", "")}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "object": self.object,
            "current_status": self.object.get_status_display(),
            "edit_url": self.get_edit_url(),
            "action_url": self.request.get_full_path(),
            "submit_button_label": self.submit_button_label,
            "submit_button_active_label": _("Enregistrement…"),
        }

    def form_valid(self, form):
        status = form.cleaned_data["status"]
        try:
            moved = self.status_service(**{
                self.model._meta.model_name: self.object, "status": status,
                "by": self.request.user, "reason": form.cleaned_data["reason"],
            })
        except ServiceError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(object)s : statut « %(status)s ».") % {
            "object": moved, "status": moved.get_status_display()})
        return redirect(self.get_edit_url())

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("Le statut n'a pas changé : corrigez le formulaire."), form)
        return super().form_invalid(form)


class StatusEditView(EditView):
    """The edit view, with the status moves in its header."""

    status_url_name = None
    status_permission = ""
    status_labels: dict = {}

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons, *status_buttons(
            self.object, self.request.user, url_name=self.status_url_name,
            permission=self.status_permission, labels=self.status_labels)]


class StatusMovesViewSetMixin:
    """A snippet viewset whose status moves through ``status_service`` (a ``*_set_status``),
    for users with ``status_permission``; ``status_labels`` names the buttons by status."""

    status_service: Callable | None = None
    status_permission = ""
    status_labels: dict = {}
    edit_view_class = StatusEditView

    def status_kwargs(self) -> dict:
        return {"status_permission": self.status_permission,
                "status_url_name": self.get_url_name("status"),
                "status_labels": self.status_labels}

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self.status_kwargs(), **kwargs)

    @property
    def status_view(self):
        return self.construct_view(StatusMoveView, status_service=self.status_service,
                                   status_permission=self.status_permission)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("statut/<int:pk>/", self.status_view, name="status"),
        ]
