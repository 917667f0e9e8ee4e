from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.api import cms_api_router
from cms.views import favicon
from portal_api.accounts import urls as accounts_urls
from portal_api.common.views import ApiDocsView
from portal_api.documents.views import signed_download

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/cms/v2/", cms_api_router.urls),
    # The switcher lands on the translation of the page the visitor was on (cms/views.py).
    path("i18n/setlang/", cms_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Short-lived signed links to stored files, issued by the lists (portal_api/documents/links.py).
    path("telechargement/<str:token>/", signed_download, name="signed-download"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include(accounts_urls)),
]

if settings.DEBUG:
    # Public media only (images); documents and GED files are in the private storage.
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it catches every other path.
urlpatterns += [path("", include(wagtail_urls))]

handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
