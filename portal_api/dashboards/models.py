from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel


class DashboardArea(models.TextChoices):
    CLIENT = "client", _("Espace client")
    TECHNICIAN = "technician", _("Intranet (LivePilot)")


class DashboardPreference(TimeStampedModel):
    """The tiles a user chose to see on his dashboard, in his order. No row: the defaults of
    his role (services.dashboard_preferences_reset deletes it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="dashboard_preference",
                                verbose_name=_("utilisateur"))
    area = models.CharField(_("tableau de bord"), max_length=12, choices=DashboardArea.choices)
    # Names of the visible tiles, in display order (see tiles.py).
    tiles = models.JSONField(_("tuiles affichées"), default=list, blank=True)

    class Meta:
        verbose_name = _("préférences de tableau de bord")
        verbose_name_plural = _("préférences de tableau de bord")
        constraints = [
            models.CheckConstraint(condition=Q(area__in=["client", "technician"]),
                                   name="dashboardpreference_area_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_area_display()}"
