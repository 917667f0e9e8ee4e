from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", views.PortalLogoutView.as_view(), name="logout"),
    path("accueil/", views.landing, name="landing"),
    path("mot-de-passe/changer/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    ), name="password_change"),
    path("mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html",
    ), name="password_change_done"),
    path("mot-de-passe/oublie/", views.PortalPasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oublie/envoye/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html",
    ), name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    ), name="password_reset_confirm"),
    path("mot-de-passe/nouveau/termine/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html",
    ), name="password_reset_complete"),
    # A colleague invited by a manager chooses his password (a password-reset token).
    path("invitation/<uidb64>/<token>/", views.InvitationConfirmView.as_view(),
         name="invitation_confirm"),
    path("invitation/terminee/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/invitation_complete.html",
    ), name="invitation_complete"),
]
