from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .identifiers import login_identifier
from .rules import portal_profile_of


class PortalAuthenticationForm(AuthenticationForm):
    """The portal's login: e-mail and password; a client user also needs a portal access and
    an active company, and is told which of the two is missing (only after a right password,
    so nothing is revealed to a stranger)."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez."
        ),
        "inactive": _("Ce compte est désactivé."),
        "no_portal_access": _(
            "Votre compte n'a pas d'accès au portail. Contactez votre interlocuteur habituel "
            "pour l'ouvrir."
        ),
        "company_inactive": _(
            "L'accès au portail de votre société est suspendu. Contactez votre interlocuteur "
            "habituel."
        ),
    }

    def clean_username(self):
        # One spelling per account for authentication and for django-axes' counts.
        return login_identifier(self.cleaned_data.get("username"))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff:
            return
        if not hasattr(user, "portal_profile"):
            raise forms.ValidationError(self.error_messages["no_portal_access"],
                                        code="no_portal_access")
        if portal_profile_of(user) is None:
            raise forms.ValidationError(self.error_messages["company_inactive"],
                                        code="company_inactive")


class AdminLoginForm(WagtailLoginForm):
    """The Wagtail admin's login (settings.WAGTAILADMIN_USER_LOGIN_FORM): the same
    normalised identifier as the portal's, so that one lockout covers both forms."""

    def clean_username(self):
        return login_identifier(self.cleaned_data.get("username"))


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
