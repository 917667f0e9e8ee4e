from rest_framework import serializers

from .links import document_link
from .models import Document


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    related_label = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    private = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "kind_label", "document_date", "content_type", "size",
                  "created_at", "related_label", "private", "download_url"]

    def get_related_label(self, document) -> str:
        # The kind of object it belongs to ("Facture", "Contrat"…), without fetching it.
        if document.related_type_id is None:
            return ""
        model = document.related_type.model_class()
        return str(model._meta.verbose_name).capitalize() if model else ""

    def get_private(self, document) -> bool:
        return document.owner_id is not None

    def get_download_url(self, document) -> str:
        # A browser session gets a signed link valid DOWNLOAD_LINK_MAX_AGE seconds (the list's
        # selector and rule were the check); token clients the checked endpoint (links.py).
        return document_link(document, request=self.context.get("request"))
