from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal_api.accounts.models import Site
from portal_api.accounts.selectors import site_list
from portal_api.catalog.models import Article
from portal_api.catalog.selectors import article_availability, article_list
from portal_api.common.money import round_money, vat_amount
from portal_api.common.serializers import choice_labels, person_ref

from .models import Order, OrderLine, OrderStatus
from .selectors import BACKORDER, REFUSE, order_totals, stock_policy


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.email


class SiteSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "city"]


class CanSerializer(serializers.Serializer):
    edit = serializers.BooleanField()
    place = serializers.BooleanField()
    cancel = serializers.BooleanField()


def order_can(user, order) -> dict:
    """What the user may do with this order now (the widget shows only these buttons)."""
    return {
        "edit": user.has_perm("orders.prepare_order", order),
        "place": user.has_perm("orders.place_order", order),
        "cancel": user.has_perm("orders.cancel_order", order),
    }


def _iso(value, tz) -> str | None:
    """A datetime as DRF's DateTimeField renders it (ISO 8601 in the current time zone, "Z"
    for UTC)."""
    if value is None:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class OrderSerializer(serializers.ModelSerializer):
    status_label = serializers.SerializerMethodField()
    # Plain dicts rather than nested serializers: the same JSON, without instantiating three
    # serializers per order on every page (bench/: a third of the list's time).
    prepared_by = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    delivery_site = serializers.SerializerMethodField()
    lines_count = serializers.IntegerField(read_only=True)
    total_excl_tax = serializers.SerializerMethodField()
    total_vat = serializers.SerializerMethodField()
    total_incl_tax = serializers.SerializerMethodField()
    can = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "number", "status", "status_label", "customer_reference",
                  "delivery_site", "prepared_by", "submitted_by", "created_at", "updated_at",
                  "submitted_at", "confirmed_at", "delivered_at", "cancelled_at", "lines_count",
                  "total_excl_tax", "total_vat", "total_incl_tax", "can"]

    def to_representation(self, order) -> dict:
        """The JSON of the fields declared above, built directly: DRF's generic path (a field
        object, an attribute lookup and a time-zone lookup per value: 19 fields x 50 orders)
        was most of the list's Python time (bench/run.py). Same keys, same order, same values:
        tests/portal_api/orders/test_serializers.py compares it with DRF's own rendering."""
        context = self.context
        tz = context.get("_tz")
        if tz is None:
            tz = context["_tz"] = timezone.get_current_timezone()
        totals = order_totals(order)
        return {
            "id": order.id,
            "number": order.number,
            "status": order.status,
            "status_label": self.get_status_label(order),
            "customer_reference": order.customer_reference,
            "delivery_site": self.get_delivery_site(order),
            "prepared_by": self.get_prepared_by(order),
            "submitted_by": self.get_submitted_by(order),
            "created_at": _iso(order.created_at, tz),
            "updated_at": _iso(order.updated_at, tz),
            "submitted_at": _iso(order.submitted_at, tz),
            "confirmed_at": _iso(order.confirmed_at, tz),
            "delivered_at": _iso(order.delivered_at, tz),
            "cancelled_at": _iso(order.cancelled_at, tz),
            "lines_count": order.lines_count,
            "total_excl_tax": self.get_total_excl_tax(order, totals),
            "total_vat": self.get_total_vat(order, totals),
            "total_incl_tax": self.get_total_incl_tax(order, totals),
            "can": self.get_can(order),
        }

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_total_excl_tax(self, order, totals=None):
        return str((totals or order_totals(order))[0])

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_total_vat(self, order, totals=None):
        return str((totals or order_totals(order))[1])

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_total_incl_tax(self, order, totals=None):
        return str((totals or order_totals(order))[2])

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_prepared_by(self, order):
        return person_ref(order.prepared_by)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_submitted_by(self, order):
        return person_ref(order.submitted_by)

    @extend_schema_field(SiteSummarySerializer(allow_null=True))
    def get_delivery_site(self, order):
        site = order.delivery_site
        return {"id": site.id, "name": site.name, "city": site.city} if site else None

    def get_status_label(self, order) -> str:
        return choice_labels(self.context, "_status_labels", OrderStatus.choices)[order.status]

    @extend_schema_field(CanSerializer)
    def get_can(self, order) -> dict:
        # The rules depend on the order's company and status only: on a page of 50 orders, ask
        # them once per (company, status) rather than three times per order.
        cache = self.context.setdefault("_can_by_state", {})
        key = (order.client_account_id, order.status)
        if key not in cache:
            cache[key] = order_can(self.context["request"].user, order)
        return cache[key]


class OrderLineSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="article.reference", read_only=True)
    unit = serializers.CharField(source="article.unit", read_only=True)
    unit_label = serializers.CharField(source="article.get_unit_display", read_only=True)
    unit_price_excl_tax = serializers.SerializerMethodField()
    vat_rate = serializers.SerializerMethodField()
    total_excl_tax = serializers.SerializerMethodField()
    availability = serializers.SerializerMethodField()
    quantity_available = serializers.SerializerMethodField()
    backordered_quantity = serializers.SerializerMethodField(
        help_text="Placed order: the part of the quantity back-ordered at placement. Draft, "
                  "under the back-order policy: the part the stock available now does not "
                  "cover. 0 otherwise.")
    restock_date = serializers.SerializerMethodField(
        help_text="Draft: the article's expected restock date (what a back-order would "
                  "announce). Placed order: the date announced for its back-ordered quantity. "
                  "Null if unknown or none.")

    class Meta:
        model = OrderLine
        fields = ["id", "article", "reference", "label", "unit", "unit_label", "quantity",
                  "unit_price_excl_tax", "vat_rate", "total_excl_tax", "availability",
                  "quantity_available", "backordered_quantity", "restock_date"]

    def _price(self, line) -> Decimal:
        if line.unit_price_excl_tax is not None:
            return line.unit_price_excl_tax
        return line.article.price_excl_tax

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_unit_price_excl_tax(self, line):
        return str(self._price(line))

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2))
    def get_vat_rate(self, line):
        return str(line.vat_rate if line.vat_rate is not None else line.article.vat_rate)

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_total_excl_tax(self, line):
        return str(round_money(line.quantity * self._price(line)))

    def get_availability(self, line) -> str | None:
        if line.order.status != OrderStatus.DRAFT:
            return None
        return article_availability(line.article)

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=3,
                                                  allow_null=True))
    def get_quantity_available(self, line):
        if line.order.status != OrderStatus.DRAFT or not line.article.track_stock:
            return None
        return f"{max(line.article.stock_available, Decimal(0)).normalize():f}"

    def _backordered(self, line) -> Decimal:
        if line.order.status != OrderStatus.DRAFT:
            return line.backordered_quantity
        if not line.article.track_stock or stock_policy() != BACKORDER:
            return Decimal(0)
        return max(line.quantity - max(line.article.stock_available, Decimal(0)), Decimal(0))

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=3))
    def get_backordered_quantity(self, line):
        return f"{self._backordered(line):.3f}"

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_restock_date(self, line):
        if line.order.status == OrderStatus.DRAFT:
            date = line.article.restock_date if line.article.track_stock else None
        else:
            date = line.restock_date
        return date.isoformat() if date else None


class VatLineSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class OrderDetailSerializer(OrderSerializer):
    lines = serializers.SerializerMethodField()
    vat_breakdown = serializers.SerializerMethodField()
    stock_policy = serializers.SerializerMethodField(
        help_text="What a quantity above the available stock gets: refused when added to a "
                  "draft (refuse) or accepted and back-ordered (backorder).")

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "comment", "lines", "vat_breakdown",
                  "stock_policy"]

    def to_representation(self, order) -> dict:
        data = super().to_representation(order)
        data["comment"] = order.comment
        data["lines"] = self.get_lines(order)
        data["vat_breakdown"] = self.get_vat_breakdown(order)
        data["stock_policy"] = self.get_stock_policy(order)
        return data

    @extend_schema_field(serializers.ChoiceField(choices=[REFUSE, BACKORDER]))
    def get_stock_policy(self, order) -> str:
        return stock_policy()

    def _lines(self, order):
        lines = list(order.lines.all())
        for line in lines:
            line.order = order  # no query per line for line.order
        return lines

    @extend_schema_field(OrderLineSerializer(many=True))
    def get_lines(self, order):
        return OrderLineSerializer(self._lines(order), many=True, context=self.context).data

    def _breakdown(self, order):
        bases: dict[Decimal, Decimal] = {}
        for line in self._lines(order):
            price = line.unit_price_excl_tax
            rate = line.vat_rate
            if price is None:
                price, rate = line.article.price_excl_tax, line.article.vat_rate
            bases[rate] = bases.get(rate, Decimal(0)) + round_money(line.quantity * price)
        return bases

    @extend_schema_field(VatLineSerializer(many=True))
    def get_vat_breakdown(self, order):
        return [{"rate": str(rate), "base": str(base), "amount": str(vat_amount(base, rate))}
                for rate, base in sorted(self._breakdown(order).items(), reverse=True)]

    def _draft_totals(self, order):
        bases = self._breakdown(order)
        excl = round_money(sum(bases.values(), Decimal(0)))
        vat = round_money(sum((vat_amount(b, r) for r, b in bases.items()), Decimal(0)))
        return excl, vat, excl + vat

    def get_total_excl_tax(self, order, totals=None) -> str:
        if order.status == OrderStatus.DRAFT:
            return str(self._draft_totals(order)[0])
        return super().get_total_excl_tax(order, totals)

    def get_total_vat(self, order, totals=None) -> str:
        if order.status == OrderStatus.DRAFT:
            return str(self._draft_totals(order)[1])
        return super().get_total_vat(order, totals)

    def get_total_incl_tax(self, order, totals=None) -> str:
        if order.status == OrderStatus.DRAFT:
            return str(self._draft_totals(order)[2])
        return super().get_total_incl_tax(order, totals)


class OrderWriteSerializer(serializers.Serializer):
    customer_reference = serializers.CharField(max_length=60, allow_blank=True, required=False,
                                               label=_("référence client"))
    delivery_site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.none(), allow_null=True, required=False,
        label=_("site de livraison"),
        error_messages={"does_not_exist": _("Ce site de livraison n'existe pas."),
                        "incorrect_type": _("Ce site de livraison n'existe pas.")},
    )
    comment = serializers.CharField(max_length=2000, allow_blank=True, required=False,
                                    label=_("commentaire"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's company's sites: another company's site "does not exist".
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["delivery_site"].queryset = site_list(user=request.user)


class LineAddSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.none(), label=_("article"),
        error_messages={"does_not_exist": _("Cet article n'existe pas dans le catalogue."),
                        "incorrect_type": _("Cet article n'existe pas dans le catalogue.")},
    )
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, label=_("quantité"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Hidden articles do not exist for the user.
        request = self.context.get("request")
        if request is not None:
            self.fields["article"].queryset = article_list(user=request.user)


class LineUpdateSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, label=_("quantité"))
