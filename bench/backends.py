"""A candidate measured by `bench/run.py --variant user-with-profile`, not the project's code:
the session's user loaded together with his portal profile, its company and his technician
profile (one query instead of two on every portal request; `portal_profile_of()` then finds
them cached on the user)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithProfileBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(
                "portal_profile__client_account", "technician_profile").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
