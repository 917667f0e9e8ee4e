"""The accounts endpoints under /api/v1/ (the login pages are in urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ColleagueViewSet, CompanyView, ContactViewSet, MeView, SiteViewSet

router = SimpleRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")
router.register("colleagues", ColleagueViewSet, basename="colleague")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("company/", CompanyView.as_view(), name="company"),
    *router.urls,
]
