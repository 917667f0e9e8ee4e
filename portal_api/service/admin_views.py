"""The Action Center's own screens and pieces (Wagtail admin), used by wagtail_hooks.py:

- « Créer l'intervention » (TicketConvertView) and « Clôturer avec une réponse »
  (TicketCloseView) on a request: a form, then the domain service (``ticket_convert``,
  ``ticket_close``); a request already converted or closed offers neither and a POST is refused;
- the request's and the intervention's stored files, downloaded through views that check the
  staff member's permission on the request / intervention and that the file belongs to it,
  served as attachments (never a storage URL);
- read-only panels shown in the edit forms and the inspect views: attachments, timeline, the
  intervention created from a request and the request an intervention came from, documents.

No business rule lives here: the services decide, the views only show their answer."""

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import EditView

from portal_api.accounts.rules import is_staff_member
from portal_api.common.admin_forms import EMPTY_DISPLAY, InspectWithRelatedView, format_display
from portal_api.common.errors import ServiceError
from portal_api.documents.models import Document
from portal_api.documents.selectors import document_list
from portal_api.documents.views import document_file_response

from . import services
from .admin_forms import TicketCloseForm, TicketConvertForm, add_service_error
from .models import Intervention, Ticket, TicketStatus
from .selectors import intervention_document_list, intervention_list, ticket_list

# ---------------------------------------------------------------------------------------------
# What may be done with a request now (the services refuse the rest with a 409)
# ---------------------------------------------------------------------------------------------


def ticket_convertible(ticket: Ticket) -> bool:
    return ticket.intervention_id is None and ticket.status != TicketStatus.CLOSED


def ticket_closable(ticket: Ticket) -> bool:
    return ticket.status != TicketStatus.CLOSED


# Who may handle requests: the rules of service/rules.py, as for the API.
HANDLE_TICKETS = "service.manage_tickets"
PLAN_INTERVENTIONS = "service.manage_interventions"
VIEW_TICKETS = "service.view_tickets"
VIEW_INTERVENTIONS = "service.consult_intervention"


def can_convert(user) -> bool:
    """Staff who handle requests and plan interventions."""
    return user.has_perm(HANDLE_TICKETS) and user.has_perm(PLAN_INTERVENTIONS)


def can_close(user) -> bool:
    return user.has_perm(HANDLE_TICKETS)


def ticket_action_urls(ticket: Ticket, user) -> dict[str, str]:
    """The URLs of « Créer l'intervention » (``convert``) and « Clôturer avec une réponse »
    (``close``) that the request allows now and the user may use."""
    viewset = Ticket.snippet_viewset
    urls = {}
    if ticket_convertible(ticket) and can_convert(user):
        urls["convert"] = reverse(viewset.get_url_name("convert"), args=[quote(ticket.pk)])
    if ticket_closable(ticket) and can_close(user):
        urls["close"] = reverse(viewset.get_url_name("close"), args=[quote(ticket.pk)])
    return urls


ACTION_LABELS = {
    "convert": (gettext_lazy("Créer l'intervention"), "calendar-check", 5),
    "close": (gettext_lazy("Clôturer avec une réponse"), "mail", 6),
}


def ticket_action_buttons(ticket: Ticket, user, *, header: bool = False) -> list:
    """The request's actions as header buttons (edit and inspect views) or as items of a
    listing row's « more » menu."""
    button_class = HeaderButton if header else Button
    return [
        button_class(str(ACTION_LABELS[action][0]), url=url, icon_name=ACTION_LABELS[action][1],
                     priority=ACTION_LABELS[action][2],
                     attrs={"data-portal-action": action})
        for action, url in ticket_action_urls(ticket, user).items()
    ]


# ---------------------------------------------------------------------------------------------
# Stored files of a request / an intervention
# ---------------------------------------------------------------------------------------------


def ticket_attachments(ticket: Ticket, *, user) -> QuerySet[Document]:
    """The files attached to the request, as far as the user may see them, oldest first."""
    return document_list(user=user).filter(
        related_type=ContentType.objects.get_for_model(Ticket), related_id=ticket.pk,
    ).order_by("created_at", "id")


def intervention_documents(intervention: Intervention, *, user) -> QuerySet[Document]:
    """The intervention's documents and those of the request it came from."""
    return intervention_document_list(user=user, intervention=intervention)


def origin_ticket(intervention: Intervention) -> Ticket | None:
    try:
        return intervention.ticket
    except Ticket.DoesNotExist:
        return None


def _download_response(document: Document):
    response = document_file_response(document)
    if response is None:
        raise Http404
    return response


class ObjectDocumentDownloadView(View):
    """Stream one stored file of an object as an attachment, to staff holding the rule that
    shows the object (else 403); an object beyond the user's reach (its selector) or a file
    that does not belong to it is a 404."""

    permission = ""

    def objects(self, *, user) -> QuerySet:
        raise NotImplementedError

    def documents(self, obj, *, user) -> QuerySet[Document]:
        raise NotImplementedError

    def get(self, request, pk, document_pk):
        if not (is_staff_member(request.user) and request.user.has_perm(self.permission)):
            raise PermissionDenied
        obj = get_object_or_404(self.objects(user=request.user), pk=pk)
        document = get_object_or_404(self.documents(obj, user=request.user), pk=document_pk)
        return _download_response(document)


class TicketAttachmentDownloadView(ObjectDocumentDownloadView):
    permission = VIEW_TICKETS

    def objects(self, *, user):
        return ticket_list(user=user)

    def documents(self, obj, *, user):
        return ticket_attachments(obj, user=user)


class InterventionDocumentDownloadView(ObjectDocumentDownloadView):
    permission = VIEW_INTERVENTIONS

    def objects(self, *, user):
        return intervention_list(user=user)

    def documents(self, obj, *, user):
        return intervention_documents(obj, user=user)


def _document_rows(documents, url_name: str, owner_pk) -> list[dict]:
    return [
        {
            "title": document.title,
            "kind": document.get_kind_display(),
            "content_type": document.content_type,
            "size": filesizeformat(document.size) if document.size else EMPTY_DISPLAY,
            "created_at": format_display(document.created_at),
            "url": reverse(url_name, args=[quote(owner_pk), document.pk]),
        }
        for document in documents
    ]


# ---------------------------------------------------------------------------------------------
# Links between a request and its intervention
# ---------------------------------------------------------------------------------------------


def admin_url(obj, user) -> str | None:
    """The edit screen of a snippet when the user may change it, else its inspect screen when
    he may see it, else nothing (the permission policy: rules, and the object in his reach)."""
    viewset = getattr(type(obj), "snippet_viewset", None)
    if viewset is None:
        return None
    policy = policy_registry.get(obj)
    if policy.user_has_permission_for_instance(user, "change", obj):
        return reverse(viewset.get_url_name("edit"), args=[quote(obj.pk)])
    if viewset.inspect_view_enabled and policy.user_has_any_permission_for_instance(
            user, ["view", "change"], obj):
        return reverse(viewset.get_url_name("inspect"), args=[quote(obj.pk)])
    return None


class ObjectLink(Component):
    """A link to an object's admin screen (a plain text when the user may not open it), for
    the inspect views' field values."""

    def __init__(self, obj, user, text=None):
        self.obj = obj
        self.user = user
        self.text = text

    def render_html(self, parent_context=None):
        if self.obj is None:
            return EMPTY_DISPLAY
        text = self.text or str(self.obj)
        url = admin_url(self.obj, self.user)
        return format_html('<a href="{}">{}</a>', url, text) if url else text


# ---------------------------------------------------------------------------------------------
# Panels (edit forms and inspect views)
# ---------------------------------------------------------------------------------------------


class _ReadOnlyPanel(Panel):
    """A panel that adds no form field; shown once the object is saved."""

    class BoundPanel(Panel.BoundPanel):
        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None


class TicketAttachmentsPanel(_ReadOnlyPanel):
    """The files the client attached to the request, each downloadable."""

    class BoundPanel(_ReadOnlyPanel.BoundPanel):
        template_name = "service/admin/panels/documents.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["documents"] = _document_rows(
                ticket_attachments(self.instance, user=self.request.user),
                Ticket.snippet_viewset.get_url_name("attachment"), self.instance.pk,
            )
            context["empty_text"] = _("Aucune pièce jointe.")
            return context


class InterventionDocumentsPanel(_ReadOnlyPanel):
    """The intervention's documents (photos, receipts, report…) and its request's attachments."""

    class BoundPanel(_ReadOnlyPanel.BoundPanel):
        template_name = "service/admin/panels/documents.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["documents"] = _document_rows(
                intervention_documents(self.instance, user=self.request.user),
                Intervention.snippet_viewset.get_url_name("document"), self.instance.pk,
            )
            context["empty_text"] = _("Aucun document.")
            return context


class TicketTimelinePanel(_ReadOnlyPanel):
    """What happened to the request (TicketEvent), oldest first."""

    class BoundPanel(_ReadOnlyPanel.BoundPanel):
        template_name = "service/admin/panels/timeline.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            events = getattr(self.instance, "events", None)
            rows = []
            if events is not None:
                for event in events.select_related("actor").order_by("created_at", "id"):
                    actor = event.actor
                    rows.append({
                        "at": format_display(event.created_at),
                        "status": event.get_status_display(),
                        "message": event.message,
                        "actor": str(actor) if actor else "",
                    })
            context["events"] = rows
            return context


class TicketInterventionPanel(_ReadOnlyPanel):
    """On a request: the intervention created from it (a link), or what can be done."""

    class BoundPanel(_ReadOnlyPanel.BoundPanel):
        template_name = "service/admin/panels/ticket_intervention.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            ticket = self.instance
            intervention = ticket.intervention
            context.update(
                intervention=intervention,
                intervention_url=admin_url(intervention, self.request.user)
                if intervention else None,
                actions=[
                    {"url": url, "label": ACTION_LABELS[action][0],
                     "icon": ACTION_LABELS[action][1], "action": action}
                    for action, url in ticket_action_urls(ticket, self.request.user).items()
                ],
            )
            return context


class InterventionTicketPanel(_ReadOnlyPanel):
    """On an intervention: the request it came from (a link)."""

    class BoundPanel(_ReadOnlyPanel.BoundPanel):
        template_name = "service/admin/panels/intervention_ticket.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            ticket = origin_ticket(self.instance)
            context.update(
                ticket=ticket,
                ticket_url=admin_url(ticket, self.request.user) if ticket else None,
                received_at=format_display(ticket.created_at) if ticket else "",
            )
            return context


# ---------------------------------------------------------------------------------------------
# Edit and inspect views of a request: the two actions in the header
# ---------------------------------------------------------------------------------------------


class TicketEditView(EditView):
    @cached_property
    def header_buttons(self):
        return ticket_action_buttons(self.object, self.request.user, header=True)


class TicketInspectView(InspectWithRelatedView):
    @cached_property
    def header_buttons(self):
        return ticket_action_buttons(self.object, self.request.user, header=True)

    def get_intervention_display_value(self):
        return ObjectLink(self.object.intervention, self.request.user)

    def get_serial_number_typed_display_value(self):
        ticket = self.object
        if not ticket.serial_number_typed:
            return EMPTY_DISPLAY
        if ticket.serial_unmatched:
            return _("%(serial)s — n° de série inconnu (aucun équipement du client)") % {
                "serial": ticket.serial_number_typed}
        return ticket.serial_number_typed


class InterventionInspectView(InspectWithRelatedView):
    def get_field_label(self, field_name, field):
        if field_name == "ticket":
            return _("Demande d'origine")
        return super().get_field_label(field_name, field)

    def get_ticket_display_value(self):
        return ObjectLink(origin_ticket(self.object), self.request.user)


# ---------------------------------------------------------------------------------------------
# The two actions
# ---------------------------------------------------------------------------------------------


class TicketActionView(WagtailAdminTemplateMixin, FormView):
    """A form about one request, shown in the admin's furniture, that hands the request to a
    service. ``is_available`` says whether the request still allows the action.

    The user needs the rules of ``permissions`` (else 403); the request is read through the
    selector (beyond his reach: 404)."""

    model = Ticket
    permissions: tuple[str, ...] = (HANDLE_TICKETS,)
    index_url_name = None
    edit_url_name = None
    inspect_url_name = None
    header_icon = "warning"
    submit_button_label = ""
    refused_message = ""

    def get_ticket(self, user, pk) -> Ticket:
        return get_object_or_404(
            ticket_list(user=user).select_related(
                "requester", "equipment__site", "equipment__contract",
            ),
            pk=pk,
        )

    def is_available(self) -> bool:
        raise NotImplementedError

    def get_refused_message(self) -> str:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # The right first (403), then the request within the user's reach (404).
        user = request.user
        if not (is_staff_member(user) and all(user.has_perm(p) for p in self.permissions)):
            raise PermissionDenied
        self.object = self.get_ticket(user, kwargs["pk"])
        if not self.is_available():
            messages.error(request, self.get_refused_message())
            return redirect(self.get_ticket_url())
        return super().dispatch(request, *args, **kwargs)

    def get_ticket_url(self) -> str:
        return reverse(self.edit_url_name, args=[quote(self.object.pk)])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"ticket": self.object}

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Centre d'actions")},
            {"url": self.get_ticket_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title(), "sublabel": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ticket = self.object
        context.update(
            # The form's widgets' scripts (Wagtail's date-time chooser), which the admin's
            # form template loads before the form's own inline calls to them.
            media=context["form"].media,
            ticket=ticket,
            ticket_url=self.get_ticket_url(),
            attachments=_document_rows(
                ticket_attachments(ticket, user=self.request.user),
                Ticket.snippet_viewset.get_url_name("attachment"),
                ticket.pk,
            ),
            action_url=self.request.get_full_path(),
            submit_button_label=self.submit_button_label,
            submit_button_active_label=_("Enregistrement…"),
            received_at=format_display(ticket.created_at),
        )
        return context

    def run_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.run_service(form)
        except ServiceError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        except DjangoValidationError as error:
            by_field = getattr(error, "message_dict", {"__all__": error.messages})
            for field, errors in by_field.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        return self.success(result)

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("Le formulaire contient des erreurs : rien n'a été enregistré."),
            form,
        )
        return super().form_invalid(form)


class TicketConvertView(TicketActionView):
    """« Créer l'intervention »: site, equipment, contract and description proposed from the
    request; staff choose the technicians and the planned window."""

    page_title = gettext_lazy("Créer l'intervention")
    template_name = "service/admin/ticket_convert.html"
    form_class = TicketConvertForm
    submit_button_label = gettext_lazy("Créer l'intervention")

    permissions = (HANDLE_TICKETS, PLAN_INTERVENTIONS)

    def is_available(self) -> bool:
        return ticket_convertible(self.object)

    def get_refused_message(self) -> str:
        ticket = self.object
        if ticket.intervention_id:
            return _("La demande %(ticket)s a déjà été convertie en intervention "
                     "%(intervention)s.") % {"ticket": ticket, "intervention": ticket.intervention}
        return _("La demande %(ticket)s est clôturée : elle ne peut plus devenir une "
                 "intervention.") % {"ticket": ticket}

    def run_service(self, form):
        data = form.cleaned_data
        return services.ticket_convert(
            ticket=self.object, by=self.request.user, technicians=list(data["technicians"]),
            planned_start=data["planned_start"], planned_end=data["planned_end"],
            equipment=data.get("equipment"), site=data["site"], contract=data.get("contract"),
            description=data["description"],
        )

    def success(self, intervention):
        url = admin_url(intervention, self.request.user)
        messages.success(
            self.request,
            _("Intervention %(intervention)s créée depuis la demande %(ticket)s.") % {
                "intervention": intervention, "ticket": self.object},
            buttons=[messages.button(url, _("Voir l'intervention"))] if url else None,
        )
        return redirect(self.get_ticket_url())


class TicketCloseView(TicketActionView):
    """« Clôturer avec une réponse »: the answer is e-mailed to the reply-to contact."""

    page_title = gettext_lazy("Clôturer avec une réponse")
    template_name = "service/admin/ticket_close.html"
    form_class = TicketCloseForm
    submit_button_label = gettext_lazy("Clôturer et envoyer la réponse")

    def is_available(self) -> bool:
        return ticket_closable(self.object)

    def get_refused_message(self) -> str:
        return _("La demande %(ticket)s est déjà clôturée.") % {"ticket": self.object}

    def recipient(self) -> tuple[str, str] | None:
        """(name, e-mail) of who receives the answer, as the service chooses it."""
        ticket = self.object
        email = services.ticket_answer_recipient(ticket)
        if not email:
            return None
        if ticket.reply_to is not None and ticket.reply_to.email == email:
            return str(ticket.reply_to), email
        requester = ticket.requester
        return (requester.get_full_name() or email) if requester else email, email

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"recipient": self.recipient()}

    def run_service(self, form):
        return services.ticket_close(ticket=self.object, by=self.request.user,
                                     answer=form.cleaned_data["answer"])

    def success(self, ticket):
        recipient = self.recipient()
        if recipient:
            message = _("Demande %(ticket)s clôturée ; la réponse est envoyée à %(email)s.") % {
                "ticket": ticket, "email": recipient[1]}
        else:
            message = _("Demande %(ticket)s clôturée.") % {"ticket": ticket}
        messages.success(self.request, message)
        return redirect(reverse(self.index_url_name))
