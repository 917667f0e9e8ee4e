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
    }
