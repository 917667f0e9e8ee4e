from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "portal_api.exports"
    label = "exports"
    verbose_name = _("Exports")

    def ready(self):
        # Every app's exportable lists (its exports.py) register themselves: the worker finds
        # a job's list by its name without importing a view.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("exports")
