"""/api/v1/: each app registers its endpoints in its own urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("portal_api.accounts.api_urls")),
    path("", include("portal_api.catalog.urls")),
    path("", include("portal_api.orders.urls")),
    path("", include("portal_api.billing.urls")),
    path("", include("portal_api.service.urls")),
    path("", include("portal_api.documents.urls")),
    path("", include("portal_api.dashboards.urls")),
    path("", include("portal_api.exports.urls")),
]
