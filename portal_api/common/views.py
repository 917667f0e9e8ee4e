"""Views of the API's own plumbing."""

from django.http import HttpResponse
from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    """/api/docs/ (Swagger UI). Its only renderer is an HTML template, which cannot render
    DRF's OPTIONS answer (a 500): OPTIONS gets an empty 200 with the Allow header instead."""

    def options(self, request, *args, **kwargs):
        return HttpResponse(status=200)
