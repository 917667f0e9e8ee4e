"""This app's endpoints under /api/v1/ (registered on its own router)."""

from rest_framework.routers import SimpleRouter

from .views import ArticleFamilyViewSet, ArticleViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("article-families", ArticleFamilyViewSet, basename="article-family")

urlpatterns = router.urls
