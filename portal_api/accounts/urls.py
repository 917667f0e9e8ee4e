from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", views.PortalLogoutView.as_view(), name="logout"),
    path("accueil/", views.landing, name="landing"),
]
