from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "portal_api.common"
    label = "common"
