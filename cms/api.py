"""The headless API (Wagtail API v2 under /api/cms/v2/): public content only. Restricted pages
and their documents never appear, whoever asks."""

from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .selectors import public_documents, public_pages


class PublicPagesAPIViewSet(PagesAPIViewSet):
    permission_classes = [AllowAny]  # public content, for anyone (the portal API needs a login)
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.filter(pk__in=public_pages().values("pk"))


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    permission_classes = [AllowAny]
    def get_queryset(self):
        return public_documents(super().get_queryset())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    permission_classes = [AllowAny]


cms_api_router = WagtailAPIRouter("cms_api")
cms_api_router.register_endpoint("pages", PublicPagesAPIViewSet)
cms_api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
cms_api_router.register_endpoint("images", PublicImagesAPIViewSet)
