import rules
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal_api.common.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSetMixin
from portal_api.common.schema import ERROR

from . import selectors, services
from .filters import SiteFilter
from .forms import PortalAuthenticationForm, PortalPasswordResetForm
from .models import PORTAL_RIGHTS, User
from .rules import portal_profile_of
from .serializers import (
    ColleagueInvitationSerializer,
    ColleagueInviteSerializer,
    ColleagueRightsSerializer,
    ColleagueSerializer,
    CompanySerializer,
    ContactSerializer,
    MeSerializer,
    MeUpdateSerializer,
    SiteSerializer,
    right_fields,
)


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

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        """Change my first name, last name and phone."""
        if not request.user.has_perm("accounts.change_me"):
            raise PermissionDenied
        serializer = MeUpdateSerializer(instance=request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.user_update_details(user=request.user, **serializer.validated_data)
        me = selectors.user_get_me(user=request.user)
        return Response(MeSerializer(me, context={"request": request}).data)


class CompanyView(APIView):
    """My company: legal ids, billing address, sites; and what I may manage in it."""

    permission_classes = [IsAuthenticated]

    # A user without the right is a 403; staff (no company) a 404.
    @extend_schema(responses={200: CompanySerializer, 403: ERROR, 404: ERROR})
    def get(self, request):
        if not request.user.has_perm("accounts.view_company"):
            raise PermissionDenied
        company = selectors.company_get(user=request.user)
        if company is None:
            raise NotFound
        context = {"request": request, "sites": selectors.site_list(user=request.user)}
        return Response(CompanySerializer(company, context=context).data)


class SiteViewSet(ScopedReadOnlyViewSet):
    """The sites (intervention addresses) of the user's company; staff and technicians see
    every company's and filter them with ?client=."""

    selector = selectors.site_list
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    rules_permissions = {"list": "accounts.view_company_sites",
                         "retrieve": "accounts.view_company_sites"}
    ordering_fields = ["name", "city"]


class ContactViewSet(ScopedModelViewSet):
    """The contacts of the user's company: every portal user reads them; a user with the
    "manage contacts" right adds, changes and removes them (removing deactivates)."""

    selector = selectors.contact_list
    serializer_class = ContactSerializer
    rules_permissions = {"list": "accounts.view_company_contacts",
                         "retrieve": "accounts.view_company_contacts",
                         "create": "accounts.create_company_contact",
                         "update": "accounts.manage_contacts",
                         "partial_update": "accounts.manage_contacts",
                         "destroy": "accounts.manage_contacts"}
    ordering_fields = ["last_name", "first_name"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["permissions"] = {
            "create": request.user.has_perm("accounts.create_company_contact"),
            "change": request.user.has_perm("accounts.manage_contacts"),
        }
        return response

    def perform_create(self, serializer):
        profile = portal_profile_of(self.request.user)
        if profile is None:
            # The rule already refuses staff (no company to add to here); kept so that a rule
            # widened later cannot create a contact without a company: staff add contacts
            # from the client's record in the back office.
            raise PermissionDenied(_("Les contacts d'un client s'ajoutent depuis sa fiche, "
                                     "dans l'administration."))
        serializer.instance = services.contact_create(
            client_account=profile.client_account, **serializer.validated_data,
        )

    def perform_update(self, serializer):
        serializer.instance = services.contact_update(contact=serializer.instance,
                                                      **serializer.validated_data)

    def perform_destroy(self, instance):
        services.contact_deactivate(contact=instance)


class ColleagueViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """The portal users of my company (with the "manage users" right): invite one, change his
    rights within mine, deactivate him (DELETE)."""

    selector = selectors.colleague_list
    serializer_class = ColleagueSerializer
    rules_permissions = {"list": "accounts.view_colleagues",
                         "retrieve": "accounts.view_colleagues",
                         "create": "accounts.invite_colleague",
                         "partial_update": "accounts.change_colleague_rights",
                         "destroy": "accounts.deactivate_colleague",
                         "reactivate": "accounts.reactivate_colleague"}
    # Each invitation sends an e-mail: a stricter rate (common/throttling.py).
    throttle_scopes = {"create": "invitation"}
    ordering_fields = ["last_name", "first_name", "email"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        profile = portal_profile_of(request.user)
        response.data["permissions"] = {
            "invite": request.user.has_perm("accounts.invite_colleague"),
            # Every right with its label; `grantable`: I hold it, so I may hand it out.
            "rights": [
                {"code": name.removeprefix("can_"), "label": str(label),
                 "grantable": bool(profile and getattr(profile, name))}
                for name, label in PORTAL_RIGHTS.items()
            ],
        }
        return response

    def _colleague(self, user):
        return self.get_queryset().get(pk=user.pk)

    @extend_schema(request=ColleagueInviteSerializer,
                   responses={202: ColleagueInvitationSerializer})
    def create(self, request):
        """Invite a colleague. The answer is the same whether the address is new or already
        has an account elsewhere (another company's, staff): nothing tells them apart, and no
        second account is made; the new colleague appears in the list."""
        serializer = ColleagueInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.portal_user_invite(
            invited_by=request.user, email=data["email"], first_name=data.get("first_name", ""),
            last_name=data["last_name"], rights=right_fields(data["rights"]),
        )
        asked = set(data["rights"])
        body = ColleagueInvitationSerializer({
            "email": User.objects.normalize_email(data["email"].strip()).lower(),
            "first_name": data.get("first_name", "").strip(),
            "last_name": data["last_name"].strip(),
            "rights": [name.removeprefix("can_") for name in PORTAL_RIGHTS
                       if name.removeprefix("can_") in asked],
            "invitation_pending": True,
        }).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=ColleagueRightsSerializer, responses=ColleagueSerializer)
    def partial_update(self, request, pk=None):
        colleague = self.get_object()
        serializer = ColleagueRightsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.portal_user_set_rights(acting_user=request.user, user=colleague,
                                        rights=right_fields(serializer.validated_data["rights"]))
        body = ColleagueSerializer(self._colleague(colleague), context={"request": request}).data
        return Response(body)

    def destroy(self, request, pk=None):
        colleague = self.get_object()
        services.portal_user_deactivate(acting_user=request.user, user=colleague)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ColleagueSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        colleague = self.get_object()
        services.portal_user_reactivate(acting_user=request.user, user=colleague)
        body = ColleagueSerializer(self._colleague(colleague), context={"request": request}).data
        return Response(body)


class InvitationConfirmView(auth_views.PasswordResetConfirmView):
    """The invitation link: the new colleague chooses his password (then logs in)."""

    template_name = "accounts/invitation_confirm.html"
    success_url = reverse_lazy("accounts:invitation_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
