"""/api/v1/: each app registers its endpoints in its own urls module."""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from portal_api.common.errors import api_not_found

urlpatterns = [
    path("", include("portal_api.accounts.api_urls")),
    path("", include("portal_api.catalog.urls")),
    path("", include("portal_api.orders.urls")),
    path("", include("portal_api.billing.urls")),
    path("", include("portal_api.service.urls")),
    path("", include("portal_api.documents.urls")),
    path("", include("portal_api.dashboards.urls")),
    path("", include("portal_api.exports.urls")),
    # Last: an unknown path under /api/v1/ is a 404 in the API's error shape.
    re_path(r"^(.*/)?$", csrf_exempt(api_not_found), name="not-found"),
]
