"""The accounts endpoints under /api/v1/ (the login pages are in urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ContactViewSet, MeView, SiteViewSet

router = SimpleRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
