"""This app's endpoints under /api/v1/ (registered on its own router)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
