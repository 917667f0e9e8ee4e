from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from portal_api.accounts.selectors import client_account_id_for
from portal_api.common.api import ScopedModelViewSet, XlsxExportMixin
from portal_api.common.errors import ServiceError

from . import selectors, services
from .exports import ORDER_LIST
from .models import OrderLine
from .serializers import (
    LineAddSerializer,
    LineUpdateSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    OrderWriteSerializer,
)


class OrderViewSet(XlsxExportMixin, ScopedModelViewSet):
    """The company's orders and drafts. Writes go through the services; the `can` object of
    each order tells the widget what the user may do with it."""

    selector = selectors.order_list
    # Its rows, filters, ordering and export columns: exports.ORDER_LIST.
    exportable = ORDER_LIST
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    rules_permissions = {
        "list": "orders.view_orders",
        "retrieve": "orders.view_orders",
        "create": "orders.prepare_orders",
        "update": "orders.prepare_orders",  # PUT is not offered: 405
        "partial_update": "orders.prepare_orders",
        "destroy": "orders.prepare_orders",
        "lines": "orders.prepare_orders",
        "line": "orders.prepare_orders",
        "place": "orders.place_orders",
        "cancel": "orders.cancel_orders",
    }

    def get_queryset(self):
        if self.action == "list":
            return super().get_queryset()
        return selectors.order_detail_list(user=self.request.user)

    def get_serializer_class(self):
        return OrderSerializer if self.action == "list" else OrderDetailSerializer

    def _detail(self, order, status_code=status.HTTP_200_OK) -> Response:
        order = selectors.order_detail_list(user=self.request.user).get(pk=order.pk)
        return Response(OrderDetailSerializer(order, context=self.get_serializer_context()).data,
                        status=status_code)

    def _validated(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data,
                                      context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # The page of orders says what the user may do; a queued export (202) is a job.
        if response.status_code == 200 and isinstance(getattr(response, "data", None), dict):
            response.data["can"] = {"create": request.user.has_perm("orders.prepare_order")}
        return response

    @extend_schema(request=OrderWriteSerializer, responses={201: OrderDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(OrderWriteSerializer)
        from portal_api.accounts.models import ClientAccount

        account = ClientAccount.objects.get(pk=client_account_id_for(request.user))
        order = services.order_draft_create(client_account=account, prepared_by=request.user,
                                            **data)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderWriteSerializer, responses=OrderDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        order = self.get_object()
        data = self._validated(OrderWriteSerializer, partial=True)
        services.order_draft_update(order=order, **data)
        return self._detail(order)

    def destroy(self, request, *args, **kwargs):
        services.order_draft_delete(order=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LineAddSerializer, responses={201: OrderDetailSerializer})
    @action(detail=True, methods=["post"], url_path="lines")
    def lines(self, request, pk=None):
        """Add an article to a draft (quantities add up if it is already there)."""
        order = self.get_object()
        data = self._validated(LineAddSerializer)
        services.order_line_add(order=order, article=data["article"], quantity=data["quantity"])
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(methods=["PATCH"], request=LineUpdateSerializer,
                   responses=OrderDetailSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={200: OrderDetailSerializer})
    @action(detail=True, methods=["patch", "delete"], url_path=r"lines/(?P<line_id>[0-9]+)")
    def line(self, request, pk=None, line_id=None):
        """Change a line's quantity (PATCH) or remove it (DELETE)."""
        order = self.get_object()
        line = get_object_or_404(OrderLine, pk=line_id, order=order)
        if request.method == "DELETE":
            services.order_line_remove(line=line)
        else:
            data = self._validated(LineUpdateSerializer)
            services.order_line_update(line=line, quantity=data["quantity"])
        return self._detail(order)

    @extend_schema(
        request=None, responses=OrderDetailSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                                     description="The same key returns the same order.")],
    )
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        """Place a draft: prices frozen, number given, stock reserved (409 if short)."""
        order = self.get_object()
        key = (request.headers.get("Idempotency-Key") or "").strip() or None
        if key and len(key) > 80:
            message = _("La clé d'idempotence ne doit pas dépasser 80 caractères.")
            raise ServiceError(message, fields={"Idempotency-Key": [message]})
        placed = services.order_submit(order=order, submitted_by=request.user,
                                       idempotency_key=key)
        return self._detail(placed)

    @extend_schema(request=None, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a placed order not yet confirmed by the staff; the stock is released."""
        order = services.order_cancel(order=self.get_object(), placed_only=True)
        return self._detail(order)
