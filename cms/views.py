"""Branded error pages (under /api/ the same errors in the API's error shape), and the
language switcher."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from .selectors import page_url_in_language


def _api_error(request, status: int, code: str, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "fields": {}}},
                            status=status)
    return None


def permission_denied(request, exception=None):
    return _api_error(request, 403, "permission_denied",
                      _("Vous n'avez pas la permission d'effectuer cette action.")) or render(
        request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return _api_error(request, 404, "not_found", _("Ressource introuvable.")) or render(
        request, "errors/404.html", status=404)


def server_error(request):
    # No context processors here: the error may come from them.
    return _api_error(request, 500, "server_error",
                      _("Erreur interne du serveur. Réessayez dans un instant.")) or (
        HttpResponseServerError(loader.get_template("errors/500.html").render()))


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """`/favicon.ico`, which browsers and crawlers ask for whatever the pages' <link rel="icon">
    says: the brand icon of the static files (a PNG, which every browser reads there)."""
    path = finders.find("portal/favicon.png")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/png")  # noqa: SIM115 - closed by the response


@require_POST
def set_language(request):
    """Django's set_language (cookie, checks of the language and of `next`), landing on the
    translation of the page the visitor was on: a translated page may have an address of its
    own."""
    url = page_url_in_language(page_id=request.POST.get("page"),
                               language_code=request.POST.get("language", ""),
                               user=request.user)
    if url:
        request.POST = request.POST.copy()
        request.POST["next"] = url
    return django_set_language(request)
