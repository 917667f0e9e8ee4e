from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .selectors import document_may_be_seen


@hooks.register("on_serve_page", order=-10)
def forbid_logged_in_users_outside_their_audience(callback):
    """Wagtail sends anyone who fails a view restriction to the login page; a user who is
    already logged in (a client on a technicians' page) would loop there, so he gets a 403."""

    def inner(page, request, serve_args, serve_kwargs):
        if request.user.is_authenticated:
            for restriction in page.get_view_restrictions():
                if restriction.restriction_type != restriction.PASSWORD and not (
                    restriction.accept_request(request)
                ):
                    raise PermissionDenied
        return callback(page, request, serve_args, serve_kwargs)

    return inner


@hooks.register("before_serve_document")
def check_the_pages_of_the_document(document, request):
    """A document of a technicians' procedure is no more public than the procedure itself."""
    if document_may_be_seen(user=request.user, document=document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "/connexion/")
    raise PermissionDenied
