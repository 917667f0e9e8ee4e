"""Writes of the dashboards: a user's choice of tiles, and going back to the defaults."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal_api.accounts.models import User
from portal_api.common.errors import ServiceError

from .models import DashboardArea, DashboardPreference
from .rules import may_see_tile, may_view_area
from .tiles import TILES_BY_NAME


def _check_area(*, user: User, area: str) -> None:
    if area not in DashboardArea.values:
        raise ServiceError(_("Tableau de bord inconnu : « %(area)s ».") % {"area": area},
                           fields={"area": [_("Choisissez « client » ou « technician ».")]})
    if not may_view_area(user, area):
        raise ServiceError(_("Vous n'avez pas accès à ce tableau de bord."),
                           code="permission_denied", status_code=403)


@transaction.atomic
def dashboard_preferences_save(*, user: User, area: str, tiles: list[str]) -> DashboardPreference:
    """Keep the tiles the user shows, in his order. A tile that does not exist, belongs to
    the other area or needs a right he lacks is refused (400 naming it); nothing is saved."""
    _check_area(user=user, area=area)
    errors = []
    seen: set[str] = set()
    for name in tiles:
        if not isinstance(name, str):
            errors.append(_("Nom de tuile invalide : %(name)r.") % {"name": name})
            continue
        tile = TILES_BY_NAME.get(name)
        if tile is None or tile.area != area:
            errors.append(_("Tuile inconnue : « %(name)s ».") % {"name": name})
        elif not may_see_tile(user, name):
            errors.append(_("Tuile non autorisée : « %(name)s ».") % {"name": name})
        elif name in seen:
            errors.append(_("Tuile en double : « %(name)s ».") % {"name": name})
        seen.add(name)
    if errors:
        raise ServiceError(" ".join(errors), fields={"tiles": errors})
    preference, _created = DashboardPreference.objects.update_or_create(
        user=user, defaults={"area": area, "tiles": list(tiles)},
    )
    return preference


@transaction.atomic
def dashboard_preferences_reset(*, user: User, area: str | None = None) -> None:
    """Back to the defaults of the user's role: his saved choice is forgotten."""
    if area is not None:
        _check_area(user=user, area=area)
    DashboardPreference.objects.filter(user=user).delete()
