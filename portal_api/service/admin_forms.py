"""Back-office forms for the service: equipment, requests (Action Center) and interventions.
Requests and interventions are created through their services, which number them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal_api.accounts.models import User
from portal_api.common.admin_forms import PortalAdminForm

from .models import TicketStatus
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
        )
        _copy_changed(self, ticket, {"client_account", "requester", "description", "equipment",
                                     "serial_number_typed", "urgent", "reply_to"})
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
            technicians.label_from_instance = lambda user: user.get_full_name() or user.email
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
