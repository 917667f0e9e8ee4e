"""Back-office forms for the service: equipment, requests (Action Center) and interventions.
Requests and interventions are created through their services, which number them. The Action
Center's two actions on a request (« Créer l'intervention », « Clôturer avec une réponse »)
have their own forms here; the views in admin_views.py hand them to the services."""

import datetime

from django import forms
from django.conf import settings
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from portal_api.accounts.models import Site, User
from portal_api.billing.models import Contract
from portal_api.common.admin_forms import PortalAdminForm
from portal_api.common.errors import ServiceError

from .models import Equipment, Ticket, TicketStatus
from .selectors import ticket_requester_choices
from .services import intervention_create, ticket_create

# The fields of the intervention sheet; a signed sheet is locked.
SHEET_FIELDS = (
    "departure_at", "arrival_at", "end_at", "return_at", "meter_reading", "work_done",
    "under_warranty", "technicians",
)


def _copy_changed(form, instance, handled: set[str]) -> None:
    """After a service created the object, apply what the user set in the other fields."""
    for name in form.changed_data:
        if name in handled or name not in form.cleaned_data:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            getattr(instance, name).set(form.cleaned_data[name])
        else:
            setattr(instance, name, form.cleaned_data[name])


class EquipmentAdminForm(PortalAdminForm):
    same_client_fields = ("site", "contract")


class TicketAdminForm(PortalAdminForm):
    same_client_fields = ("equipment", "site", "reply_to")
    user_fields = ("requester",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        requester = self.fields.get("requester")
        if requester is not None:
            # The requester is one of the client company's portal users, never anybody's.
            account_id = self._client_account_id()
            choices = ticket_requester_choices(user=self.for_user, client_account_id=account_id)
            # Posted without a valid company: nobody can be its requester.
            requester.queryset = choices.none() if self.is_bound and not account_id else choices
            requester.error_messages["invalid_choice"] = _(
                "Choisissez un utilisateur du portail de ce client.")

    def _client_account_id(self) -> int | None:
        """The company the request is for: the one posted, else its own."""
        if self.is_bound and "client_account" in self.fields:
            try:
                return int(self.data.get(self.add_prefix("client_account")) or 0) or None
            except (TypeError, ValueError):
                return None
        return self.instance.client_account_id

    def _follow_status(self, ticket) -> None:
        if ticket.status == TicketStatus.CLOSED and ticket.closed_at is None:
            ticket.closed_at = timezone.now()
        elif ticket.status != TicketStatus.CLOSED:
            ticket.closed_at = None

    def save(self, commit=True):
        if not self.is_creating:
            self._follow_status(self.instance)
            return super().save(commit=commit)
        data = self.cleaned_data
        ticket = ticket_create(
            client_account=data["client_account"], requester=data.get("requester"),
            description=data["description"], equipment=data.get("equipment"),
            serial_number_typed=data.get("serial_number_typed", ""),
            urgent=data.get("urgent", False), reply_to=data.get("reply_to"),
            site=data.get("site"),
        )
        _copy_changed(self, ticket, {"client_account", "requester", "description", "equipment",
                                     "serial_number_typed", "urgent", "reply_to", "site"})
        self._follow_status(ticket)
        ticket.save()
        self.instance = ticket
        return ticket


class InterventionAdminForm(PortalAdminForm):
    same_client_fields = ("site", "equipment", "contract")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        technicians = self.fields.get("technicians")
        if technicians is not None:
            assigned = self.instance.technicians.all() if self.instance.pk else User.objects.none()
            technicians.queryset = (
                User.objects.filter(technician_profile__active=True) | assigned
            ).distinct().order_by("last_name", "first_name")
        if self.instance.pk and self.instance.is_locked:
            for name in SHEET_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Bon signé : la fiche est verrouillée.")

    def save(self, commit=True):
        if not self.is_creating:
            return super().save(commit=commit)
        data = self.cleaned_data
        intervention = intervention_create(
            client_account=data["client_account"], site=data["site"],
            created_by=self.for_user, equipment=data.get("equipment"),
            description=data.get("description", ""),
            technicians=data.get("technicians") or (),
            planned_start=data.get("planned_start"), planned_end=data.get("planned_end"),
        )
        _copy_changed(self, intervention, {"client_account", "site", "equipment", "description",
                                           "technicians", "planned_start", "planned_end"})
        intervention.save()
        self.instance = intervention
        return intervention


# ---------------------------------------------------------------------------------------------
# The Action Center's actions on a request
# ---------------------------------------------------------------------------------------------


def technician_choices(*, keep=()):
    """The technicians staff may assign: active intranet accesses (plus those already
    assigned, so that editing never drops one silently), by name."""
    queryset = User.objects.filter(technician_profile__active=True)
    keep = [user.pk for user in keep]
    if keep:
        queryset = queryset | User.objects.filter(pk__in=keep)
    return queryset.distinct().order_by("last_name", "first_name", "email")


def add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Show a service's refusal on the form: on the fields it names when the form has them,
    else above the form."""
    placed = False
    for name, messages in (error.fields or {}).items():
        target = name if name in form.fields else None
        for message in messages if isinstance(messages, (list, tuple)) else [messages]:
            form.add_error(target, str(message))
            placed = placed or target is not None
    if not placed and not error.fields:
        form.add_error(None, error.message)


# The planned window is typed (or picked) in one format only, the admin's, and the form says
# which: « 28/11/2026 08:30 ».
PLANNED_FORMAT = settings.WAGTAIL_DATETIME_FORMAT


class PlannedDateTimeField(forms.DateTimeField):
    """A moment typed in PLANNED_FORMAT only: Django's DateTimeField also reads ISO 8601
    first, which would make « 2026-11-28 08:30 » a second accepted form the hint never
    mentions."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        return from_current_timezone(forms.fields.BaseTemporalField.to_python(self, value))


class PlannedDateTimeInput(AdminDateTimeInput):
    """Wagtail's date-time picker, leaving what is typed as typed: by default it replaces a
    date it cannot read with the current time when the field loses the focus, silently; the
    form names the expected format instead."""

    def get_config(self):
        return super().get_config() | {"validateOnBlur": False}


def planned_field(label) -> forms.DateTimeField:
    return PlannedDateTimeField(
        label=label, input_formats=[PLANNED_FORMAT],
        widget=PlannedDateTimeInput(format=PLANNED_FORMAT),
        help_text=_("JJ/MM/AAAA HH:MM, par exemple 28/11/2026 08:30."),
        error_messages={"invalid": _("Saisissez la date et l'heure au format JJ/MM/AAAA HH:MM "
                                     "(par exemple 28/11/2026 08:30).")},
    )


class TicketConvertForm(forms.Form):
    """« Créer l'intervention » from a request: what the request said is proposed (site,
    equipment, the equipment's contract, the description); staff choose who goes and when."""

    # No site is chosen for the dispatcher: the request's (or the equipment's), else he picks.
    site = forms.ModelChoiceField(label=_("Site d'intervention"), queryset=Site.objects.none(),
                                  empty_label=_("— Choisissez le site —"),
                                  error_messages={"required": _("Choisissez le site de "
                                                                "l'intervention.")})
    equipment = forms.ModelChoiceField(label=_("Équipement"), queryset=Equipment.objects.none(),
                                       required=False, empty_label=_("— Aucun —"))
    contract = forms.ModelChoiceField(
        label=_("Contrat"), queryset=Contract.objects.none(), required=False,
        empty_label=_("— Hors contrat —"),
        help_text=_("Proposé d'après le contrat de l'équipement."),
    )
    description = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 5}))
    technicians = forms.ModelMultipleChoiceField(
        label=_("Techniciens"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un technicien.")},
    )
    planned_start = planned_field(_("Début prévu"))
    planned_end = planned_field(_("Fin prévue"))

    def __init__(self, *args, ticket: Ticket, **kwargs):
        self.ticket = ticket
        account = ticket.client_account
        equipment = ticket.equipment
        kwargs["initial"] = {
            "site": ticket.site_id or (equipment.site_id if equipment else None),
            "equipment": ticket.equipment_id,
            "contract": equipment.contract_id if equipment else None,
            "description": ticket.description,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["technicians"].queryset = technician_choices()
        sites = Site.objects.filter(client_account=account).filter(
            active=True) | Site.objects.filter(pk=ticket.site_id)
        self.fields["site"].queryset = sites
        if self.initial.get("site") is None and not self.is_bound:
            # An old request without a site: its company's only site, if it has one.
            only = list(sites[:2])
            if len(only) == 1:
                self.initial["site"] = only[0].pk
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(client_account=account, active=True)
            | Equipment.objects.filter(pk=ticket.equipment_id)
        ).select_related("site")
        self.fields["contract"].queryset = Contract.objects.filter(client_account=account)
        if ticket.serial_unmatched:
            self.fields["equipment"].help_text = _(
                "Le client a saisi le n° de série « %(serial)s », qui ne correspond à aucun "
                "de ses équipements : il est repris sur l'intervention."
            ) % {"serial": ticket.serial_number_typed}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("La fin prévue doit suivre le début prévu."))
        site, equipment = cleaned.get("site"), cleaned.get("equipment")
        if site and equipment and equipment.site_id != site.pk:
            self.add_error("equipment", _("Cet équipement est installé sur un autre site "
                                          "(« %(site)s »).") % {"site": equipment.site})
        return cleaned


class TicketCloseForm(forms.Form):
    """« Clôturer avec une réponse »: the answer is e-mailed to the request's reply-to
    contact (or its requester)."""

    answer = forms.CharField(
        label=_("Réponse au client"), widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Écrivez la réponse envoyée au client.")},
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        self.ticket = ticket
        kwargs["initial"] = {"answer": ticket.answer, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
