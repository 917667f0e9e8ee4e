from rest_framework.response import Response

from portal_api.common.api import ScopedReadOnlyViewSet
from portal_api.orders.selectors import stock_policy

from . import selectors
from .filters import ArticleFilter
from .serializers import ArticleFamilySerializer, ArticleSerializer


class ArticleViewSet(ScopedReadOnlyViewSet):
    """The catalogue as the user may see it (hidden articles and families never appear)."""

    selector = selectors.article_list
    serializer_class = ArticleSerializer
    rules_permissions = {"list": "catalog.browse_catalog", "retrieve": "catalog.browse_catalog"}
    filterset_class = ArticleFilter
    ordering_fields = ["reference", "label", "price_excl_tax"]
    ordering = ["reference"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # What the widget may offer next to each article, and what a quantity above the
        # available stock gets (it says so while the quantity is typed).
        response.data["can"] = {"prepare_orders": request.user.has_perm("orders.prepare_order")}
        response.data["stock_policy"] = stock_policy()
        return response


class ArticleFamilyViewSet(ScopedReadOnlyViewSet):
    selector = selectors.article_family_list
    serializer_class = ArticleFamilySerializer
    rules_permissions = {"list": "catalog.browse_catalog", "retrieve": "catalog.browse_catalog"}
    pagination_class = None
    filter_backends = []

    def list(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)
