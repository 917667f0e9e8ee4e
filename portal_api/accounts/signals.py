"""Keep the Wagtail view-restriction groups in step with the profiles, whichever way a profile
is saved (service, admin, shell): pages for clients or technicians are restricted to these
groups."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import PortalProfile, TechnicianProfile

CLIENTS_GROUP = "Clients"
TECHNICIANS_GROUP = "Techniciens"


def _set_membership(user, group_name: str, member: bool) -> None:
    group, _ = Group.objects.get_or_create(name=group_name)
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@receiver(post_save, sender=PortalProfile)
def portal_profile_saved(sender, instance, **kwargs):
    _set_membership(instance.user, CLIENTS_GROUP, True)


@receiver(post_delete, sender=PortalProfile)
def portal_profile_deleted(sender, instance, **kwargs):
    _set_membership(instance.user, CLIENTS_GROUP, False)


@receiver(post_save, sender=TechnicianProfile)
def technician_profile_saved(sender, instance, **kwargs):
    _set_membership(instance.user, TECHNICIANS_GROUP, instance.active)


@receiver(post_delete, sender=TechnicianProfile)
def technician_profile_deleted(sender, instance, **kwargs):
    _set_membership(instance.user, TECHNICIANS_GROUP, False)


@receiver(post_migrate)
def staff_roles_after_migrate(sender, **kwargs):
    """The staff roles' groups stay complete after every `migrate` (a model added later gives
    the administrator its permissions); once per migrate, on this app's signal."""
    if sender.label != "accounts" or kwargs.get("plan") == []:
        return
    from .services import staff_role_groups_ensure

    staff_role_groups_ensure()
