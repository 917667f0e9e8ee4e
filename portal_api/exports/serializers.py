import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ExportJob, ExportStatus


class ExportJobSerializer(serializers.ModelSerializer):
    """An export as its widget follows it: status, rows written out of the total, then the
    link to the file (its owner's only)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    progress = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "kind", "kind_label", "list_name", "status", "status_label", "total",
                  "written", "progress", "attempts", "filename", "url", "download_url",
                  "error", "created_at", "updated_at", "started_at", "finished_at",
                  "expires_at"]

    def get_url(self, job) -> str:
        return reverse("api:export-detail", args=[job.pk])

    def get_download_url(self, job) -> str | None:
        if job.status != ExportStatus.DONE or job.document_id is None:
            return None
        return reverse("api:export-download", args=[job.pk])

    def get_expires_at(self, job) -> datetime.datetime:
        """When the retention task removes it (hourly: at the latest an hour later)."""
        return job.created_at + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)

    def get_error(self, job) -> str | None:
        if job.status != ExportStatus.FAILED:
            return None
        return job.error or None


class InvoiceZipSerializer(serializers.Serializer):
    date_from = serializers.DateField(label=_("Du"))
    date_to = serializers.DateField(label=_("Au"))
