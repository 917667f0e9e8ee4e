from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user screens with our user model's fields (e-mail login, phone, staff)."""

    user_viewset = "portal_api.accounts.admin_forms.PortalUserViewSet"
