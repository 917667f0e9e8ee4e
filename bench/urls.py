"""The bench's URLconf (bench/run.py uses it through override_settings(ROOT_URLCONF=...)):
the project's routes plus one view serving a plain file, the reference of the PDF download."""

from django.conf import settings
from django.http import FileResponse, HttpResponseForbidden
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def static_file(request):
    """A file of the invoice PDF's size, as an attachment: what serving a file costs in
    Django, with no lookup and no permission check."""
    return FileResponse(open(settings.BENCH_STATIC_FILE, "rb"), as_attachment=True,  # noqa: SIM115
                        filename="static.pdf", content_type="application/pdf")


def static_file_logged_in(request):
    """The same file behind a login check: adds what every authenticated request pays (the
    session and the user loaded from the database)."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    return static_file(request)


urlpatterns = [
    path("__bench__/static-file/", static_file),
    path("__bench__/static-file-logged-in/", static_file_logged_in),
    *project_urlpatterns,
]
