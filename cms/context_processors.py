import rules
from django.utils.functional import SimpleLazyObject


def portal(request):
    """What every page's layout needs: the branding and the areas the user may enter."""
    from .models import BrandingSettings

    user = getattr(request, "user", None)
    return {
        "brand": SimpleLazyObject(lambda: BrandingSettings.load(request_or_site=request)),
        "portal_has_extranet": bool(user and rules.test_rule("access_extranet", user)),
        "portal_has_intranet": bool(user and rules.test_rule("access_intranet", user)),
        # The back office's door (the back-office role groups carry it): a technician, staff
        # without such a group, has no admin and sees no link to it.
        "portal_has_admin": bool(user and user.is_authenticated
                                 and user.has_perm("wagtailadmin.access_admin")),
    }
