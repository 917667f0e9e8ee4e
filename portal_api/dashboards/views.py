"""GET /api/v1/dashboard/?area=client|technician, PUT /api/v1/dashboard/preferences/,
POST /api/v1/dashboard/preferences/reset/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal_api.common.api import ScopedViewSetMixin

from . import selectors, services
from .rules import may_view_area
from .serializers import (
    MONTH_PATTERN,
    DashboardPreferencesSerializer,
    DashboardQuerySerializer,
    DashboardResetSerializer,
    DashboardSerializer,
)


class DashboardViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """The user's dashboard (client or LivePilot): his tiles with their figures, and his
    choice of tiles. The client area is for portal users, the technician area for
    technicians: the other one is a 403."""

    selector = selectors.dashboard_preference_list
    rules_permissions = {
        "retrieve": "dashboards.view_dashboard",
        "preferences": "dashboards.view_dashboard",
        "reset": "dashboards.view_dashboard",
    }
    serializer_class = DashboardSerializer
    pagination_class = None

    def _area(self, serializer) -> str:
        serializer.is_valid(raise_exception=True)
        area = serializer.validated_data["area"]
        if not may_view_area(self.request.user, area):
            raise PermissionDenied
        return area

    def _dashboard(self, area: str, **period) -> Response:
        data = selectors.dashboard_get(user=self.request.user, area=area, **period)
        return Response(data)

    @extend_schema(
        parameters=[DashboardQuerySerializer,
                    OpenApiParameter("from", str, pattern=MONTH_PATTERN,
                                     description="AAAA-MM (ou AAAA-MM-JJ : son mois)"),
                    OpenApiParameter("to", str, pattern=MONTH_PATTERN,
                                     description="AAAA-MM (ou AAAA-MM-JJ : son mois)")],
        responses=DashboardSerializer,
    )
    def retrieve(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        area = self._area(query)
        return self._dashboard(area, first=query.validated_data.get("first"),
                               last=query.validated_data.get("last"))

    @extend_schema(request=DashboardPreferencesSerializer, responses=DashboardSerializer)
    def preferences(self, request):
        body = DashboardPreferencesSerializer(data=request.data)
        area = self._area(body)
        services.dashboard_preferences_save(user=request.user, area=area,
                                            tiles=body.validated_data["tiles"])
        return self._dashboard(area)

    @extend_schema(request=DashboardResetSerializer, responses=DashboardSerializer)
    def reset(self, request):
        body = DashboardResetSerializer(data=request.data)
        area = self._area(body)
        services.dashboard_preferences_reset(user=request.user, area=area)
        return self._dashboard(area)
