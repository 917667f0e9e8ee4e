"""The order serializers build their JSON directly (a faster path than DRF's field by field
rendering, docs/performance.md): it must stay exactly what DRF renders from the declared
fields, for every status, in the list (with the list's deferred columns) and the detail."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from portal_api.orders import selectors
from portal_api.orders.models import Order
from portal_api.orders.serializers import OrderDetailSerializer, OrderSerializer
from portal_api.orders.services import (
    order_cancel,
    order_confirm,
    order_create_draft,
    order_deliver,
    order_submit,
)


@pytest.fixture
def orders(dupond, dupond_company, dupond_site, article):
    def draft(reference, **kwargs):
        return order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                  lines=[(article, Decimal("1"))], customer_reference=reference,
                                  **kwargs)

    empty = order_create_draft(client_account=dupond_company, prepared_by=None)
    plain = draft("BROUILLON", delivery_site=dupond_site)
    submitted = order_submit(order=draft("PASSEE"), submitted_by=dupond)
    delivered = order_deliver(order=order_confirm(
        order=order_submit(order=draft("LIVREE"), submitted_by=dupond)))
    cancelled = order_cancel(order=order_submit(order=draft("ANNULEE"), submitted_by=dupond))
    # A UTC-rendered value too (DRF writes "Z" for +00:00).
    Order.objects.filter(pk=delivered.pk).update(
        created_at=datetime.datetime(2026, 1, 5, 8, 30, 15, 123456, tzinfo=datetime.UTC))
    return [empty, plain, submitted, delivered, cancelled]


def context_for(user):
    request = APIRequestFactory().get("/api/v1/orders/")
    force_authenticate(request, user=user)
    request.user = user
    return {"request": request}


def drf_rendering(serializer, order):
    return serializers.ModelSerializer.to_representation(serializer, order)


@pytest.mark.parametrize("tz", ["Europe/Paris", "UTC"])
def test_list_serializer_renders_what_drf_renders(dupond, orders, tz):
    queryset = (selectors.order_list_rows(user=dupond)
                .order_by("pk"))
    with timezone.override(tz):
        for order in queryset:
            serializer = OrderSerializer(context=context_for(dupond))
            fast = serializer.to_representation(order)
            assert list(fast) == OrderSerializer.Meta.fields
            assert fast == drf_rendering(OrderSerializer(context=context_for(dupond)), order)
    assert {o.status for o in queryset} == {"draft", "submitted", "delivered", "cancelled"}


def test_list_columns_do_not_cost_a_query_per_order(dupond, orders, django_assert_num_queries):
    queryset = selectors.order_list_rows(user=dupond)
    orders = list(queryset)
    context = context_for(dupond)
    OrderSerializer(orders[:1], many=True, context=context).data  # noqa: B018 - profile read
    with django_assert_num_queries(0):
        data = OrderSerializer(orders, many=True, context=context).data
    assert len(data) == 5


def test_detail_serializer_renders_what_drf_renders(dupond, orders):
    for order in selectors.order_detail_list(user=dupond).order_by("pk"):
        fast = OrderDetailSerializer(context=context_for(dupond)).to_representation(order)
        assert list(fast) == OrderDetailSerializer.Meta.fields
        assert fast == drf_rendering(OrderDetailSerializer(context=context_for(dupond)), order)
