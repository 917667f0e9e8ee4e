import rules
from django.conf import settings


def portal(request):
    """What every portal page's layout needs: the company name and the user's areas."""
    user = getattr(request, "user", None)
    return {
        "portal_company_name": settings.PORTAL_COMPANY_NAME,
        "portal_has_extranet": bool(user and rules.test_rule("access_extranet", user)),
        "portal_has_intranet": bool(user and rules.test_rule("access_intranet", user)),
    }
