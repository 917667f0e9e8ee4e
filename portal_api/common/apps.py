from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "portal_api.common"
    label = "common"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .throttling import login_failed

        # Every failed login (portal, admin) counts towards its client IP's `login` rate.
        user_login_failed.connect(login_failed, dispatch_uid="common.throttling.login_failed")

        from .serializers import fields_take_their_own_type

        fields_take_their_own_type()
