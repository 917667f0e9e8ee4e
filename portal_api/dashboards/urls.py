"""This app's endpoints under /api/v1/."""

from django.urls import path

from .views import DashboardViewSet

urlpatterns = [
    path("dashboard/", DashboardViewSet.as_view({"get": "retrieve"}), name="dashboard"),
    path("dashboard/preferences/", DashboardViewSet.as_view({"put": "preferences"}),
         name="dashboard-preferences"),
    path("dashboard/preferences/reset/", DashboardViewSet.as_view({"post": "reset"}),
         name="dashboard-preferences-reset"),
]
