"""Back-office form for the GED: files go to the private storage; size, type and checksum are
computed by a background task after the upload (see documents/wagtail_hooks.py)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal_api.common.admin_forms import PortalAdminForm, PrivateFileInput

# What a GED document may be attached to.
RELATED_MODELS = (
    ("accounts", "clientaccount"), ("orders", "order"), ("billing", "invoice"),
    ("billing", "contract"), ("service", "equipment"), ("service", "ticket"),
    ("service", "intervention"),
)


class DocumentAdminForm(PortalAdminForm):
    user_fields = ("owner",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if file_field is not None:
            widget = PrivateFileInput()
            if self.instance.pk:
                widget.download_url = reverse("portal_document_download",
                                              args=[self.instance.pk])
            file_field.widget = widget
        related_type = self.fields.get("related_type")
        if related_type is not None:
            query = None
            for app_label, model in RELATED_MODELS:
                q = ContentType.objects.filter(app_label=app_label, model=model)
                query = q if query is None else query | q
            related_type.queryset = query.order_by("app_label", "model")
            related_type.label_from_instance = lambda ct: str(
                ct.model_class()._meta.verbose_name
            ).capitalize()

    def clean(self):
        cleaned = super().clean()
        related_type = cleaned.get("related_type")
        related_id = cleaned.get("related_id")
        if (related_type is None) != (related_id is None):
            self.add_error(
                "related_id" if related_type else "related_type",
                _("Indiquez à la fois le type et l'identifiant de l'objet rattaché, ou "
                  "aucun des deux."),
            )
        elif related_type is not None:
            try:
                related = related_type.get_object_for_this_type(pk=related_id)
            except ObjectDoesNotExist:
                self.add_error("related_id", _("Aucun objet de ce type ne porte cet "
                                               "identifiant."))
            else:
                owner_account = (related if related_type.model == "clientaccount"
                                 else getattr(related, "client_account", None))
                chosen = cleaned.get("client_account")
                if owner_account is not None and chosen is None:
                    # The document belongs to the related object's client.
                    cleaned["client_account"] = owner_account
                elif owner_account is not None and chosen.pk != owner_account.pk:
                    self.add_error("client_account",
                                   _("L'objet rattaché appartient à un autre client."))
        return cleaned

    def save(self, commit=True):
        document = self.instance
        if self.is_creating and self.for_user is not None and document.uploaded_by_id is None:
            document.uploaded_by = self.for_user
        if "file" in self.changed_data:
            # A new file: its metadata are computed again by the task queued after saving.
            document.size = 0
            document.checksum = ""
            document.content_type = ""
        return super().save(commit=commit)
