"""Back-office forms for accounts: portal accesses (rights and role presets), technicians, and
Wagtail's user screens adapted to our user model (login by e-mail, phone, staff flag)."""

import json

from django import forms
from django.db.models import Case, IntegerField, When
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from portal_api.common.admin_forms import PortalAdminForm

from . import roles
from .models import PORTAL_RIGHTS, ROLE_PRESETS, PortalProfile, PortalRole, User
from .signals import CLIENTS_GROUP, TECHNICIANS_GROUP


class ClientAccountAdminForm(PortalAdminForm):
    pass


class SiteAdminForm(PortalAdminForm):
    pass


class ContactAdminForm(PortalAdminForm):
    user_fields = ("user",)

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        account = cleaned.get("client_account")
        if user is not None and account is not None:
            profile = getattr(user, "portal_profile", None)
            if profile is not None and profile.client_account_id != account.pk:
                self.add_error(
                    "user",
                    _("Cet utilisateur a un accès portail chez un autre client."),
                )
        return cleaned


ROLE_PRESET_SCRIPT = """
<script>
(function () {
  var select = document.getElementById(%(select_id)s);
  if (!select || !select.form) return;
  var form = select.form;
  var presets = %(presets)s;
  var rights = %(rights)s;
  var custom = %(custom)s;
  var filling = false;
  var field = %(field)s;
  function box(right) {
    var selector = 'input[type="checkbox"][name="' + field + '"][value="' + right + '"]';
    return form.querySelector(selector);
  }
  select.addEventListener("change", function () {
    var granted = presets[select.value];
    if (!granted) return;
    filling = true;
    rights.forEach(function (right) {
      var input = box(right);
      var wanted = granted.indexOf(right) !== -1;
      if (input && input.checked !== wanted) {
        input.checked = wanted;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    filling = false;
  });
  // The rights come after the select in the form: listen on the form.
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (filling || input.name !== field || input.type !== "checkbox") return;
    var granted = presets[select.value];
    if (!granted) return;
    var matches = rights.every(function (r) {
      var b = box(r);
      return !b || b.checked === (granted.indexOf(r) !== -1);
    });
    if (!matches) select.value = custom;
  });
})();
</script>"""


class RolePresetSelect(forms.Select):
    """The role select. Choosing a preset ticks the preset's rights at once in the browser
    (the server applies the preset again on save); changing a right by hand turns the role
    into « Personnalisé »."""

    rights_field = "rights"

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        script = ROLE_PRESET_SCRIPT % {
            "select_id": json.dumps(select_id),
            "field": json.dumps(self.rights_field),
            "presets": json.dumps({role: sorted(granted)
                                   for role, granted in ROLE_PRESETS.items()}),
            "rights": json.dumps(list(PORTAL_RIGHTS)),
            "custom": json.dumps(str(PortalRole.CUSTOM)),
        }
        # Only our own constants, serialised by json.dumps, go into the script.
        return format_html("{}{}", html, mark_safe(script))  # noqa: S308


class PortalProfileAdminForm(PortalAdminForm):
    """An access to the portal, its rights shown as one list of checkboxes.

    When the role changes to a preset, the preset's rights are applied
    (PortalProfile.apply_preset), whatever was ticked; rights changed by hand without changing
    the role make the role the preset they now match, or « Personnalisé ». A staff user is
    refused (PortalProfile.clean): the error shows on the user field."""

    user_fields = ("user",)

    rights = forms.MultipleChoiceField(
        label=_("Droits"), required=False, choices=list(PORTAL_RIGHTS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].widget = RolePresetSelect(choices=self.fields["role"].choices)
        if "user" in self.fields:
            self.fields["user"].queryset = User.objects.order_by("last_name", "first_name",
                                                                 "email")
        self.initial["rights"] = [name for name in PORTAL_RIGHTS
                                  if getattr(self.instance, name)]

    def save(self, commit=True):
        profile = self.instance
        role = self.cleaned_data.get("role")
        granted = set(self.cleaned_data.get("rights") or ())
        for name in PORTAL_RIGHTS:
            setattr(profile, name, name in granted)
        if "role" in self.changed_data and role and role != PortalRole.CUSTOM:
            profile.apply_preset(role)
        elif "role" not in self.changed_data and "rights" in self.changed_data:
            profile.role = next(
                (preset for preset, rights in ROLE_PRESETS.items() if rights == granted),
                PortalRole.CUSTOM,
            )
        return super().save(commit=commit)


class TechnicianProfileAdminForm(PortalAdminForm):
    user_fields = ("user",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = User.objects.filter(is_staff=True).order_by(
                "last_name", "first_name", "email"
            )
            self.fields["user"].help_text = _(
                "Seuls les membres du personnel peuvent être techniciens."
            )


# ---------------------------------------------------------------------------------------------
# Wagtail's user screens
# ---------------------------------------------------------------------------------------------


def group_label(group) -> str:
    """A back-office role's group by its role (label and what it gives); the audience groups
    say that they follow the profiles."""
    role = roles.STAFF_ROLES.get(roles.ROLE_BY_GROUP.get(group.name, ""))
    if role is not None:
        return f"{role.label} — {role.description}"
    if group.name in (CLIENTS_GROUP, TECHNICIANS_GROUP):
        return _("%(group)s (automatique : suit l'accès portail ou la fiche technicien)") % {
            "group": group.name}
    return group.name


class _PortalUserFormMixin:
    """Our user has no username: e-mail is the login. A superuser is always staff, and so is
    whoever holds a back-office role (roles.py); a portal user holds none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "is_staff" in self.fields:
            self.fields["is_staff"].help_text = _(
                "Personnel de l'entreprise (administration, techniciens). Décoché : "
                "utilisateur du portail client, à rattacher à un client par un accès portail."
            )
        groups = self.fields.get("groups")
        if groups is not None:
            # The roles first, each with what it gives.
            groups.queryset = groups.queryset.annotate(
                is_role=Case(When(name__in=list(roles.ROLE_BY_GROUP), then=0), default=1,
                             output_field=IntegerField()),
            ).order_by("is_role", "name")
            groups.label_from_instance = group_label
            groups.label = _("Rôles du personnel et groupes")
            groups.help_text = _(
                "Un rôle ouvre l'administration à ce membre du personnel, pour ce que le rôle "
                "permet. Les techniciens tiennent leur rôle de leur fiche technicien (Service → "
                "Techniciens), pas d'un groupe."
            )

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        held = [g for g in cleaned.get("groups") or () if g.name in roles.ROLE_BY_GROUP]
        if held and self.instance.pk and PortalProfile.objects.filter(
                user_id=self.instance.pk).exists():
            self.add_error("groups", _(
                "Un utilisateur du portail client ne peut pas avoir de rôle du personnel."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        holds_role = any(g.name in roles.ROLE_BY_GROUP
                         for g in self.cleaned_data.get("groups") or ())
        if user.is_superuser or holds_role:
            user.is_staff = True
        if commit:
            user.save()
            self.save_m2m()
        return user


class PortalUserCreationForm(_PortalUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["email", "first_name", "last_name", "phone", "is_staff", "is_superuser",
                  "groups"]


class PortalUserEditForm(_PortalUserFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = ["email", "first_name", "last_name", "phone", "is_staff", "is_active",
                  "is_superuser", "groups"]


class PortalUserViewSet(UserViewSet):
    """Wagtail's users admin with our fields (phone, staff flag)."""

    create_template_name = "admin/users/create.html"
    edit_template_name = "admin/users/edit.html"

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm
