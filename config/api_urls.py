from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal_api.accounts.views import ContactViewSet, MeView, SiteViewSet
from portal_api.service.views import EquipmentViewSet

router = DefaultRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("contacts", ContactViewSet, basename="contact")
router.register("equipment", EquipmentViewSet, basename="equipment")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
