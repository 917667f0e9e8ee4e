from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal_api.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from . import signals  # noqa: F401
