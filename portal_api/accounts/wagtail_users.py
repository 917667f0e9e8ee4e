from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user screens with our user model's fields (e-mail login, phone, staff)."""

    user_viewset = "portal_api.accounts.admin_forms.PortalUserViewSet"

    def ready(self):
        super().ready()
        # Who manages staff users and their roles is a rule (accounts.manage_staff), not
        # Django's user permissions.
        from portal_api.common.admin_permissions import staff_screens_policies_register

        staff_screens_policies_register()
