import rules
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal_api.common.api import ScopedReadOnlyViewSet

from . import selectors
from .forms import PortalAuthenticationForm, PortalPasswordResetForm
from .serializers import ContactSerializer, MeSerializer, SiteSerializer


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url_for(self.request.user)


class PortalLogoutView(auth_views.LogoutView):
    pass


class PortalPasswordResetView(auth_views.PasswordResetView):
    """Always the same answer, whether the address is known or not."""

    template_name = "accounts/password_reset.html"
    form_class = PortalPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


def landing_url_for(user) -> str:
    """Where a user goes after logging in: technicians to the intranet, client users to the
    extranet, other staff to the back office."""
    from cms.models import ExtranetHomePage, IntranetHomePage

    if rules.test_rule("access_intranet", user):
        page = IntranetHomePage.objects.live().first()
        if page:
            return page.url
    if rules.test_rule("access_extranet", user):
        page = ExtranetHomePage.objects.live().first()
        if page:
            return page.url
    if user.is_staff:
        return "/admin/"
    return "/"


@login_required
def landing(request):
    return redirect(landing_url_for(request.user))


class MeView(APIView):
    """Who am I: the acting user, his company, his rights and areas."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        me = selectors.user_get_me(user=request.user)
        return Response(MeSerializer(me, context={"request": request}).data)


class SiteViewSet(ScopedReadOnlyViewSet):
    """The sites (intervention addresses) of the user's company."""

    selector = selectors.site_list
    serializer_class = SiteSerializer
    rules_permissions = {"list": "accounts.view_company_sites",
                         "retrieve": "accounts.view_company_sites"}
    ordering_fields = ["name", "city"]


class ContactViewSet(ScopedReadOnlyViewSet):
    """The contacts of the user's company."""

    selector = selectors.contact_list
    serializer_class = ContactSerializer
    rules_permissions = {"list": "accounts.view_company_contacts",
                         "retrieve": "accounts.view_company_contacts"}
    ordering_fields = ["last_name", "first_name"]
