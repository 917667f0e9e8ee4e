"""This app's endpoints under /api/v1/ (registered on its own router)."""

from rest_framework.routers import SimpleRouter

from .views import ClientViewSet, EquipmentViewSet, InterventionViewSet, TicketViewSet

router = SimpleRouter()
router.register("equipment", EquipmentViewSet, basename="equipment")
router.register("clients", ClientViewSet, basename="client")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("interventions", InterventionViewSet, basename="intervention")

urlpatterns = router.urls
