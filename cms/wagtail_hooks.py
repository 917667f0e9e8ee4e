from django.core.exceptions import PermissionDenied
from wagtail import hooks


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
