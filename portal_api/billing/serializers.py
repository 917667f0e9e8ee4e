from django.urls import reverse
from rest_framework import serializers

from portal_api.documents.links import link_holder, signed_download_url

from .models import Invoice, InvoiceLine


class InvoiceLineSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="article.reference", read_only=True, default="")

    class Meta:
        model = InvoiceLine
        fields = ["id", "position", "reference", "label", "quantity", "unit_price_excl_tax",
                  "vat_rate", "total_excl_tax"]


class InvoiceSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount_due = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = ["id", "number", "status", "status_label", "issue_date", "due_date", "paid_at",
                  "total_excl_tax", "total_vat", "total_incl_tax", "amount_due", "pdf_url"]

    def get_amount_due(self, invoice) -> str:
        unpaid = invoice.status in ("issued", "overdue")
        return str(invoice.total_incl_tax if unpaid else "0.00")

    def get_pdf_url(self, invoice) -> str | None:
        """Where this client downloads the PDF. A browser session, for a PDF already stored:
        a signed link valid DOWNLOAD_LINK_MAX_AGE seconds (`/telechargement/<token>/`, no
        database query; the list's selector and rule were the check). Otherwise (token
        clients, PDF not stored yet) the checked endpoint, which renders and stores it."""
        if invoice.status == "draft":
            return None
        storage_name = getattr(invoice, "pdf_storage_name", None)
        if storage_name:
            holder = link_holder(self.context.get("request"))
            if holder is not None:
                return signed_download_url(
                    holder=holder, document_id=invoice.pdf_id, storage_name=storage_name,
                    content_type=invoice.pdf_content_type or "application/pdf",
                    filename=f"{invoice.number}.pdf", invoice_id=invoice.pk)
        return reverse("api:invoice-pdf", args=[invoice.pk])


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)
    vat_breakdown = serializers.SerializerMethodField()
    client_name = serializers.CharField(source="client_account.name", read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "client_name", "lines", "vat_breakdown"]

    def get_vat_breakdown(self, invoice) -> list[dict]:
        from .selectors import invoice_vat_breakdown

        return [{key: str(value) for key, value in row.items()}
                for row in invoice_vat_breakdown(invoice=invoice)]
