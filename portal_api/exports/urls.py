"""This app's endpoints under /api/v1/ (registered on its own router)."""

from rest_framework.routers import SimpleRouter

from .views import ExportJobViewSet

router = SimpleRouter()
router.register("exports", ExportJobViewSet, basename="export")

urlpatterns = router.urls
