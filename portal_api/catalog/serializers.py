from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal_api.common.money import round_money

from .models import Article, ArticleFamily
from .selectors import article_availability


class ArticleFamilySerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleFamily
        fields = ["id", "code", "name"]


class ArticleSerializer(serializers.ModelSerializer):
    family = ArticleFamilySerializer(read_only=True)
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    price_incl_tax = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField(
        help_text="in_stock, low, out_of_stock or available (no stock kept)")
    quantity_available = serializers.SerializerMethodField()
    # Announced when the portal takes back-orders for quantities above the stock.
    restock_date = serializers.DateField(read_only=True, allow_null=True,
                                         help_text="Expected restock date (null if unknown).")

    class Meta:
        model = Article
        fields = ["id", "reference", "label", "description", "kind", "kind_label", "unit",
                  "unit_label", "price_excl_tax", "vat_rate", "price_incl_tax", "family",
                  "availability", "quantity_available", "restock_date"]

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_price_incl_tax(self, article) -> str:
        value = article.price_excl_tax * (1 + article.vat_rate / Decimal(100))
        return str(round_money(value))

    def get_availability(self, article) -> str:
        return article_availability(article)

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=3,
                                                  allow_null=True))
    def get_quantity_available(self, article):
        if not article.track_stock:
            return None
        return f"{max(article.stock_available, Decimal(0)).normalize():f}"
