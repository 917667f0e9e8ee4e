from django.urls import reverse
from rest_framework import serializers

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
        if invoice.status == "draft":
            return None
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
