"""One spelling of a login identifier (an e-mail address) for everything that compares or
counts logins: authentication, django-axes' failure counts and lockouts, the login and
password-reset rate limits. Without it, "S.Perrin@…", "s.perrin@…" and " s.perrin@…" were
three accounts for axes, and 5 failures per spelling never locked the real one."""

import unicodedata


def login_identifier(value) -> str:
    """Trimmed, Unicode-normalised (NFKC) and case-folded. Case-folding merges more spellings
    than lower() (ß/ss…): for a lockout key, merging too much only errs on the safe side."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def axes_username(request, credentials: dict | None = None) -> str:
    """settings.AXES_USERNAME_CALLABLE: the username django-axes counts failures and locks
    under, whichever form (portal, Wagtail admin) or spelling it came from."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field) if hasattr(data, "get") else None
    return login_identifier(value)
