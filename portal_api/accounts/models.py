from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _user_has_perm,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """Login by e-mail. A user is either staff (back office, technicians) or a portal user
    (a client company's employee, with a PortalProfile)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_staff = models.BooleanField(
        _("membre du personnel"), default=False,
        help_text=_("Personnel de l'entreprise : accès à l'administration selon ses droits."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def has_perm(self, perm, obj=None) -> bool:
        """The portal's own permissions (the `rules` ones) are answered by `rules` alone: who
        may do what lives in the apps' rules.py, never also in a group's model permissions,
        and a superuser is the administrator role (roles.py), not a holder of a client's rights
        such as placing an order. Asking only `rules` also spares ModelBackend's two permission
        queries on every request where a client lacks a right. Django's and Wagtail's own
        permissions go through the backends as usual (a superuser holds them all)."""
        import rules

        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        if self.is_active and self.is_superuser:
            return True
        return _user_has_perm(self, perm, obj)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Address(models.Model):
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=12, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postal_code} {self.city}".strip()] if p)


class ClientAccount(TimeStampedModel, Address):
    code = models.CharField(_("code client"), max_length=20, unique=True)
    name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("n° TVA intracommunautaire"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    active = models.BooleanField(
        _("actif"), default=True,
        help_text=_("Un client inactif n'a plus accès au portail."),
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                name="clientaccount_siret_14_digits",
                violation_error_message=_("Le SIRET doit comporter 14 chiffres."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Site(TimeStampedModel, Address):
    client_account = models.ForeignKey(
        ClientAccount, on_delete=models.CASCADE, related_name="sites", verbose_name=_("client")
    )
    name = models.CharField(_("nom du site"), max_length=200)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["client_account", "name"]

    def __str__(self) -> str:
        return f"{self.name} – {self.city}" if self.city else self.name


class Contact(TimeStampedModel):
    client_account = models.ForeignKey(
        ClientAccount, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="contact", verbose_name=_("utilisateur du portail"),
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PortalRole(models.TextChoices):
    BUYER = "acheteur", _("Acheteur")
    TECHNICAL = "technique", _("Technique")
    MANAGER = "gestionnaire", _("Gestionnaire")
    CUSTOM = "personnalise", _("Personnalisé")


# The rights of a portal user: field name → label shown to users and staff.
PORTAL_RIGHTS: dict[str, str] = {
    "can_view_catalog": _("Consulter le catalogue"),
    "can_prepare_orders": _("Préparer des commandes"),
    "can_place_orders": _("Passer des commandes"),
    "can_request_interventions": _("Demander des interventions"),
    "can_follow_interventions": _("Suivre les interventions"),
    "can_view_invoices": _("Consulter les factures"),
    "can_view_documents": _("Consulter les documents"),
    "can_view_equipment": _("Consulter le parc d'équipements"),
    "can_manage_contacts": _("Gérer les contacts"),
    "can_manage_users": _("Gérer les accès portail de la société"),
}

ROLE_PRESETS: dict[str, frozenset[str]] = {
    PortalRole.BUYER: frozenset(
        {"can_view_catalog", "can_prepare_orders", "can_place_orders", "can_view_invoices",
         "can_view_documents"}
    ),
    PortalRole.TECHNICAL: frozenset(
        {"can_request_interventions", "can_follow_interventions", "can_view_equipment",
         "can_view_documents"}
    ),
    PortalRole.MANAGER: frozenset(PORTAL_RIGHTS),
}


class PortalProfile(TimeStampedModel):
    """A client user's access to the portal: his company and his rights."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="portal_profile",
        verbose_name=_("utilisateur"),
    )
    client_account = models.ForeignKey(
        ClientAccount, on_delete=models.CASCADE, related_name="portal_profiles",
        verbose_name=_("client"),
    )
    role = models.CharField(
        _("profil type"), max_length=20, choices=PortalRole.choices, default=PortalRole.CUSTOM,
        help_text=_("Choisir un profil type remplit les droits ; ils restent modifiables."),
    )
    can_view_catalog = models.BooleanField(PORTAL_RIGHTS["can_view_catalog"], default=False)
    can_prepare_orders = models.BooleanField(PORTAL_RIGHTS["can_prepare_orders"], default=False)
    can_place_orders = models.BooleanField(PORTAL_RIGHTS["can_place_orders"], default=False)
    can_request_interventions = models.BooleanField(
        PORTAL_RIGHTS["can_request_interventions"], default=False
    )
    can_follow_interventions = models.BooleanField(
        PORTAL_RIGHTS["can_follow_interventions"], default=False
    )
    can_view_invoices = models.BooleanField(PORTAL_RIGHTS["can_view_invoices"], default=False)
    can_view_documents = models.BooleanField(PORTAL_RIGHTS["can_view_documents"], default=False)
    can_view_equipment = models.BooleanField(PORTAL_RIGHTS["can_view_equipment"], default=False)
    can_manage_contacts = models.BooleanField(PORTAL_RIGHTS["can_manage_contacts"], default=False)
    can_manage_users = models.BooleanField(PORTAL_RIGHTS["can_manage_users"], default=False)

    class Meta:
        verbose_name = _("accès portail")
        verbose_name_plural = _("accès portail")
        ordering = ["client_account", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.client_account.name}"

    def clean(self):
        super().clean()
        if self.user_id and self.user.is_staff:
            raise ValidationError(
                {"user": _("Un membre du personnel ne peut pas avoir d'accès portail client.")}
            )

    @property
    def rights(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in PORTAL_RIGHTS}

    def apply_preset(self, role: str) -> None:
        granted = ROLE_PRESETS.get(role)
        self.role = role
        if granted is None:
            return
        for name in PORTAL_RIGHTS:
            setattr(self, name, name in granted)


class TechnicianProfile(TimeStampedModel):
    """A staff member's access to the technicians' intranet."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="technician_profile",
        verbose_name=_("utilisateur"),
    )
    active = models.BooleanField(_("accès intranet actif"), default=True)
    can_see_all_interventions = models.BooleanField(
        _("voit toutes les interventions"), default=False,
        help_text=_("Sinon, seulement celles où il est intervenant."),
    )
    can_create_interventions = models.BooleanField(_("peut créer des interventions"), default=True)
    color = models.CharField(_("couleur planning"), max_length=7, default="#1f6feb")

    class Meta:
        verbose_name = _("technicien")
        verbose_name_plural = _("techniciens")
        ordering = ["user"]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self):
        super().clean()
        if self.user_id and not self.user.is_staff:
            raise ValidationError(
                {"user": _("Un technicien doit être membre du personnel.")}
            )
