"""The demo data: DESIGN.md's seed scenario, told with the project's services and factories.

`seed_demo()` builds it once, in one transaction: a second call finds the client DUPOND and
changes nothing. Everything random comes from generators seeded with `SEED`, and every date is
relative to today, so two fresh databases seeded on the same day hold the same data.

The story: Dupond Industrie has a buyer (M. Dupond: may order, may not request interventions)
and a technical manager (M. Martin: the reverse). Julie Bernard, a technician, has interventions
today and this week; M. Martin's urgent request waits in the Action Center for the dispatcher.
Around them: other client companies (one inactive), a catalogue of about 200 articles, installed
equipment under warranty or contract, and twelve months of orders, requests, interventions and
invoices in every status.

Requests and interventions go through the service's own steps (filed, converted, sheet filled
in, signed, closed or cancelled), so that each request's timeline tells what happened. Where no
service exists for a state change (an intervention done but not signed, an order invoiced,
dates in the past), this module sets the fields itself with queryset updates.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import time
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import factory.random
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from faker import Faker
from PIL import Image, ImageDraw
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal_api.accounts import roles
from portal_api.accounts.factories import DEMO_PASSWORD, ContactFactory
from portal_api.accounts.models import (
    PORTAL_RIGHTS,
    ROLE_PRESETS,
    ClientAccount,
    Contact,
    PortalProfile,
    PortalRole,
    Site,
    TechnicianProfile,
    User,
)
from portal_api.accounts.services import (
    client_account_create,
    contact_create,
    portal_profile_create,
    site_create,
    staff_role_grant,
    technician_profile_create,
    user_create,
)
from portal_api.billing.models import Contract, Invoice
from portal_api.billing.services import (
    contract_create,
    invoice_create_draft,
    invoice_issue,
    invoice_mark_overdue,
    invoice_mark_paid,
)
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.catalog.models import Article, ArticleFamily, ArticleKind, BundleComponent
from portal_api.common.models import NumberSequence
from portal_api.orders.models import Order, OrderStatus
from portal_api.orders.services import (
    order_cancel,
    order_confirm,
    order_create_draft,
    order_deliver,
    order_mark_invoiced,
    order_submit,
)
from portal_api.service.models import (
    Equipment,
    Expense,
    ExpenseKind,
    Intervention,
    InterventionLine,
    InterventionStatus,
    Ticket,
    TicketEvent,
    TicketStatus,
    TimeEntry,
    TimeEntryKind,
)
from portal_api.service.services import (
    equipment_create,
    intervention_cancel,
    intervention_close,
    intervention_create,
    intervention_mark_done,
    intervention_sheet_update,
    intervention_sign,
    ticket_close,
    ticket_convert,
    ticket_create,
)

SEED = 2026
MARKER_CLIENT_CODE = "DUPOND"

Log = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# People and companies
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    key: str
    first_name: str
    last_name: str
    email: str
    login_role: str
    phone: str = ""


@dataclass(frozen=True)
class PortalUserSpec:
    key: str
    first_name: str
    last_name: str
    email: str
    job: str
    role: str
    login_role: str
    # For the custom role: the rights granted (the presets fill the others).
    custom_rights: tuple[str, ...] = ()
    mobile: str = ""

    @property
    def rights(self) -> frozenset[str]:
        return frozenset(self.custom_rights) | ROLE_PRESETS.get(self.role, frozenset())


@dataclass(frozen=True)
class EquipmentSpec:
    site: int
    model: str
    # Warranty story: "old" (expired years ago), "expired" (a few months ago), "soon" (ends in
    # the coming weeks), "valid".
    warranty: str
    contract: str | None = None


@dataclass(frozen=True)
class ContractSpec:
    key: str
    title: str
    months_ago: int
    years: int
    annual_amount: str
    visits_per_year: int
    active: bool = True


@dataclass(frozen=True)
class ClientSpec:
    code: str
    name: str
    siren_base: str  # 8 digits; the 9th is the Luhn key
    nic_base: str  # 4 digits; the 5th makes the SIRET pass Luhn
    address: str
    postal_code: str
    city: str
    email: str
    phone: str
    sites: tuple[tuple[str, str, str, str], ...]
    users: tuple[PortalUserSpec, ...]
    equipment: tuple[EquipmentSpec, ...] = ()
    contracts: tuple[ContractSpec, ...] = ()
    active: bool = True
    zone: int = 1  # travel zone from the workshop
    weight: int = 1  # how much activity this client has
    extra_contacts: tuple[tuple[str, str, str], ...] = ()  # (first name, last name, role)


ADMIN = StaffSpec("admin", "Claire", "Lemoine", "admin@atelier-portal.fr",
                  "Administratrice", "04 78 60 00 01")
DISPATCHER = StaffSpec("dispatch", "Sophie", "Moreau", "dispatch@atelier-portal.fr",
                       "Répartitrice (Centre d'actions)", "04 78 60 00 02")
SALES = StaffSpec("sales", "Nathalie", "Roux", "adv@atelier-portal.fr",
                  "Administration des ventes", "04 78 60 00 03")
EDITOR = StaffSpec("editor", "Lucas", "Garnier", "redaction@atelier-portal.fr",
                   "Rédaction (pages et procédures)", "04 78 60 00 04")
# (spec, the back-office role roles.py gives it)
BACK_OFFICE = ((ADMIN, roles.ADMINISTRATOR), (DISPATCHER, roles.DISPATCHER),
               (SALES, roles.SALES), (EDITOR, roles.EDITOR))
# (spec, can_see_all_interventions, planning colour)
TECHNICIANS = (
    (StaffSpec("julie", "Julie", "Bernard", "julie.bernard@atelier-portal.fr",
               "Technicienne", "06 12 34 56 78"), False, "#d63384"),
    (StaffSpec("thomas", "Thomas", "Petit", "thomas.petit@atelier-portal.fr",
               "Technicien chef d'équipe (voit tout)", "06 23 45 67 89"), True, "#198754"),
    (StaffSpec("karim", "Karim", "Benali", "karim.benali@atelier-portal.fr",
               "Technicien", "06 34 56 78 90"), False, "#fd7e14"),
)

CLIENTS = (
    ClientSpec(
        code="DUPOND", name="Dupond Industrie", siren_base="41285736", nic_base="0002",
        address="12 rue des Frères Lumière", postal_code="69008", city="Lyon",
        email="contact@dupond-industrie.fr", phone="04 78 74 12 30", zone=1, weight=4,
        sites=(
            ("Siège social – Lyon 8e", "12 rue des Frères Lumière", "69008", "Lyon"),
            ("Usine de Vénissieux", "45 boulevard Ambroise Croizat", "69200", "Vénissieux"),
            ("Entrepôt de Saint-Priest", "8 rue du Dauphiné", "69800", "Saint-Priest"),
        ),
        users=(
            PortalUserSpec("dupond", "Jean", "Dupond", "dupond@dupond-industrie.fr",
                           "Responsable des achats", PortalRole.BUYER,
                           "Client Dupond – acheteur (M. Dupond)", mobile="06 45 12 78 01"),
            PortalUserSpec("martin", "Pierre", "Martin", "martin@dupond-industrie.fr",
                           "Responsable des services techniques", PortalRole.TECHNICAL,
                           "Client Dupond – technique (M. Martin)", mobile="06 45 12 78 02"),
        ),
        extra_contacts=(("Isabelle", "Garnier", "Comptabilité fournisseurs"),),
        contracts=(
            ContractSpec("cvc", "Maintenance chauffage, ventilation et climatisation", 10, 3,
                         "4800.00", 2),
            ContractSpec("ssi", "Maintenance sécurité incendie", 38, 3, "1250.00", 1,
                         active=False),
        ),
        equipment=(
            EquipmentSpec(1, "vitodens49", "expired", "cvc"),
            EquipmentSpec(1, "cta", "soon", "cvc"),
            EquipmentSpec(1, "groupe", "old"),
            EquipmentSpec(1, "tgbt", "old"),
            EquipmentSpec(1, "ssi", "expired", "ssi"),
            EquipmentSpec(0, "alfea", "valid", "cvc"),
            EquipmentSpec(0, "cassette", "valid", "cvc"),
            EquipmentSpec(0, "cassette", "soon", "cvc"),
            EquipmentSpec(0, "alarme", "soon"),
            EquipmentSpec(2, "ssi", "old", "ssi"),
            EquipmentSpec(2, "nvr", "valid"),
            EquipmentSpec(2, "mural", "expired"),
        ),
    ),
    ClientSpec(
        code="EXEMPLE", name="Exemple Distribution", siren_base="52314789", nic_base="0001",
        address="3 place Victor Hugo", postal_code="38000", city="Grenoble",
        email="contact@client-exemple.fr", phone="04 76 46 20 10", zone=3, weight=2,
        sites=(
            ("Siège et entrepôt – Grenoble", "3 place Victor Hugo", "38000", "Grenoble"),
            ("Magasin d'Échirolles", "18 avenue de Grugliasco", "38130", "Échirolles"),
        ),
        users=(
            PortalUserSpec("autre", "Nathalie", "Roux", "autre@client-exemple.fr",
                           "Directrice administrative", PortalRole.MANAGER,
                           "Client d'une autre société (Exemple)",
                           mobile="06 71 20 33 44"),
        ),
        extra_contacts=(("", "", "Responsable magasin"),),
        contracts=(
            ContractSpec("surete", "Maintenance SSI et alarme intrusion", 5, 1, "1900.00", 2),
        ),
        equipment=(
            EquipmentSpec(0, "thema", "old"),
            EquipmentSpec(0, "ssi", "valid", "surete"),
            EquipmentSpec(0, "alarme", "valid", "surete"),
            EquipmentSpec(1, "mural", "soon"),
            EquipmentSpec(1, "nvr", "expired"),
            EquipmentSpec(1, "onduleur", "valid"),
        ),
    ),
    ClientSpec(
        code="CLINPARC", name="Clinique du Parc Saint-Jean", siren_base="38741256",
        nic_base="0004", address="155 boulevard de Stalingrad", postal_code="69006",
        city="Lyon", email="services.generaux@clinique-parc-saint-jean.fr",
        phone="04 72 69 50 00", zone=1, weight=3,
        sites=(
            ("Bâtiment A – hospitalisation", "155 boulevard de Stalingrad", "69006", "Lyon"),
            ("Bâtiment B – consultations", "159 boulevard de Stalingrad", "69006", "Lyon"),
        ),
        users=(
            PortalUserSpec("fontaine", "Catherine", "Fontaine",
                           "c.fontaine@clinique-parc-saint-jean.fr",
                           "Responsable des services généraux", PortalRole.MANAGER,
                           "Client Clinique – gestionnaire", mobile="06 62 10 20 30"),
            PortalUserSpec("lambert", "Marc", "Lambert", "m.lambert@clinique-parc-saint-jean.fr",
                           "Technicien de maintenance", PortalRole.CUSTOM,
                           "Client Clinique – technique (droits sur mesure)",
                           custom_rights=("can_view_catalog", "can_prepare_orders",
                                          "can_request_interventions",
                                          "can_follow_interventions", "can_view_equipment",
                                          "can_view_documents"),
                           mobile="06 62 10 20 31"),
        ),
        extra_contacts=(("", "", "Cadre de santé"), ("", "", "Comptabilité")),
        contracts=(
            ContractSpec("p2", "Maintenance multitechnique (P2)", 16, 3, "12400.00", 4),
        ),
        equipment=(
            EquipmentSpec(0, "vitodens49", "valid", "p2"),
            EquipmentSpec(0, "vitodens49", "valid", "p2"),
            EquipmentSpec(0, "cta", "expired", "p2"),
            EquipmentSpec(0, "groupe", "old", "p2"),
            EquipmentSpec(0, "onduleur", "soon", "p2"),
            EquipmentSpec(0, "ssi", "valid", "p2"),
            EquipmentSpec(1, "vrv", "valid", "p2"),
            EquipmentSpec(1, "ecs", "valid"),
            EquipmentSpec(1, "surpresseur", "expired", "p2"),
        ),
    ),
    ClientSpec(
        code="BELLECOUR", name="Hôtel Bellecour", siren_base="49012387", nic_base="0003",
        address="6 place Bellecour", postal_code="69002", city="Lyon",
        email="direction@hotel-bellecour.fr", phone="04 78 37 00 00", zone=1, weight=2,
        sites=(("Hôtel Bellecour", "6 place Bellecour", "69002", "Lyon"),),
        users=(
            PortalUserSpec("perrin", "Sandrine", "Perrin", "s.perrin@hotel-bellecour.fr",
                           "Directrice d'exploitation", PortalRole.MANAGER,
                           "Client Hôtel Bellecour – gestionnaire", mobile="06 88 41 52 63"),
        ),
        extra_contacts=(("", "", "Gouvernante générale"),),
        contracts=(
            ContractSpec("clim", "Entretien climatisation et eau chaude", 7, 1, "2900.00", 2),
        ),
        equipment=(
            EquipmentSpec(0, "dietrich", "old"),
            EquipmentSpec(0, "mural", "expired", "clim"),
            EquipmentSpec(0, "mural", "expired", "clim"),
            EquipmentSpec(0, "mural", "valid", "clim"),
            EquipmentSpec(0, "ecs", "soon", "clim"),
            EquipmentSpec(0, "acces", "valid"),
            EquipmentSpec(0, "adoucisseur", "valid", "clim"),
        ),
    ),
    ClientSpec(
        code="GIRARD", name="Imprimerie Girard", siren_base="33256418", nic_base="0001",
        address="24 rue Francis de Pressensé", postal_code="69100", city="Villeurbanne",
        email="contact@imprimerie-girard.fr", phone="04 78 85 10 20", zone=2, weight=1,
        active=False,
        sites=(("Atelier de Villeurbanne", "24 rue Francis de Pressensé", "69100",
                "Villeurbanne"),),
        users=(
            PortalUserSpec("girard", "Paul", "Girard", "girard@imprimerie-girard.fr", "Gérant",
                           PortalRole.MANAGER,
                           "Client d'une société inactive", mobile="06 15 26 37 48"),
        ),
        contracts=(
            ContractSpec("chaudiere", "Entretien annuel de chaudière", 30, 2, "320.00", 1,
                         active=False),
        ),
        equipment=(
            EquipmentSpec(0, "thema", "old", "chaudiere"),
            EquipmentSpec(0, "onduleur", "expired"),
        ),
    ),
)


# (label, brand, model, serial prefix, category, has a meter, warranty in years)
EQUIPMENT_MODELS: dict[str, tuple[str, str, str, str, str, bool, int]] = {
    "vitodens49": ("Chaudière gaz à condensation", "Viessmann", "Vitodens 200-W 49 kW", "7571",
                   "chauffage", True, 2),
    "thema": ("Chaudière murale gaz", "Saunier Duval", "ThemaPlus Condens F25", "SDC",
              "chauffage", True, 2),
    "dietrich": ("Chaudière fioul au sol", "De Dietrich", "MCR3 24", "DDF", "chauffage", True, 2),
    "alfea": ("Pompe à chaleur air/eau", "Atlantic", "Alfea Excellia Duo 16 kW", "ATL",
              "chauffage", True, 5),
    "mural": ("Climatiseur mural", "Daikin", "Perfera FTXM35R", "DKN", "clim", False, 3),
    "cassette": ("Climatiseur cassette 4 voies", "Mitsubishi Electric", "PLA-M50EA", "MEL",
                 "clim", False, 3),
    "cta": ("Centrale de traitement d'air", "France Air", "Adjust'Air 3000", "FAI", "clim",
            True, 2),
    "vrv": ("Système de climatisation DRV", "Daikin", "VRV IV-S RXYSQ8", "VRV", "clim", False,
            3),
    "ssi": ("Centrale de détection incendie", "DEF", "Eurofeu EM 4", "DEF", "ssi", False, 2),
    "groupe": ("Groupe électrogène", "SDMO", "J44K", "SDM", "elec", True, 2),
    "onduleur": ("Onduleur", "APC", "Smart-UPS SRT 3000", "APC", "elec", False, 2),
    "tgbt": ("Tableau général basse tension", "Schneider Electric", "Prisma G", "SCH", "elec",
             False, 2),
    "alarme": ("Centrale d'alarme intrusion", "Ajax", "Hub 2 Plus", "AJX", "surete", False, 2),
    "nvr": ("Enregistreur vidéo", "Hikvision", "DS-7616NI-K2", "HIK", "surete", False, 3),
    "acces": ("Contrôle d'accès", "Vauban Systems", "Locken VIP", "VAU", "surete", False, 2),
    "ecs": ("Chauffe-eau thermodynamique", "Thermor", "Aéromax 5 – 200 L", "THR", "plomberie",
            False, 5),
    "adoucisseur": ("Adoucisseur d'eau", "Culligan", "HE 20 L", "CUL", "plomberie", True, 2),
    "surpresseur": ("Surpresseur", "Grundfos", "Hydro Multi-E 2 CRE", "GRU", "plomberie", False,
                    2),
}


# --------------------------------------------------------------------------------------------
# The catalogue: (code, name, reference prefix, visible to clients, to technicians, articles)
# An article is (label, price excl. tax, unit, flags). Flags: "c" hidden from clients,
# "t" hidden from technicians, "0" out of stock, "x" inactive, "L" labour (or a service),
# "B" bundle (ouvrage), "r" VAT 10 %.
# --------------------------------------------------------------------------------------------

CATALOG: tuple[tuple[str, str, str, bool, bool, tuple[tuple[str, str, str, str], ...]], ...] = (
    ("CHAUF", "Chauffage", "CHA", True, True, (
        ("Chaudière murale gaz à condensation 25 kW", "2890", "u", ""),
        ("Chaudière murale gaz à condensation 30 kW", "3150", "u", ""),
        ("Chaudière murale gaz à condensation 35 kW", "3420", "u", "0"),
        ("Chaudière fioul au sol à condensation 24 kW (fin de série)", "5890", "u", "c"),
        ("Pompe à chaleur air/eau 8 kW", "8900", "u", ""),
        ("Pompe à chaleur air/eau 11 kW", "9800", "u", ""),
        ("Pompe à chaleur air/eau 16 kW", "11900", "u", "0"),
        ("Radiateur acier panneau type 22 H600 L600", "129", "u", ""),
        ("Radiateur acier panneau type 22 H600 L800", "152", "u", ""),
        ("Radiateur acier panneau type 22 H600 L1000", "179", "u", ""),
        ("Radiateur acier panneau type 22 H600 L1200", "205", "u", ""),
        ("Robinet thermostatique M30x1,5", "24.90", "u", ""),
        ("Tête thermostatique connectée", "69", "u", ""),
        ("Circulateur électronique 25-60", "289", "u", ""),
        ("Vase d'expansion chauffage 18 L", "49", "u", ""),
        ("Vase d'expansion chauffage 25 L", "59", "u", ""),
        ("Thermostat d'ambiance programmable radio", "139", "u", ""),
        ("Filtre magnétique de désembouage 3/4\"", "145", "u", ""),
        ("Soupape de sécurité 3 bar 1/2\"", "12.50", "u", ""),
        ("Collecteur plancher chauffant 6 départs", "189", "u", ""),
        ("Sèche-serviettes électrique 750 W", "249", "u", "t"),
        ("Radiateur électrique à inertie 1500 W", "489", "u", ""),
    )),
    ("PLOMB", "Plomberie sanitaire", "PLB", True, True, (
        ("Chauffe-eau électrique vertical 100 L", "329", "u", ""),
        ("Chauffe-eau électrique vertical 150 L", "389", "u", ""),
        ("Chauffe-eau électrique vertical 200 L", "449", "u", ""),
        ("Chauffe-eau électrique vertical 300 L", "639", "u", "0"),
        ("Chauffe-eau thermodynamique 200 L", "1890", "u", ""),
        ("Mitigeur lavabo chromé", "79", "u", ""),
        ("Mitigeur évier bec haut", "99", "u", ""),
        ("Mitigeur thermostatique de douche", "189", "u", ""),
        ("WC suspendu complet avec bâti-support", "459", "u", ""),
        ("Groupe de sécurité chauffe-eau 3/4\"", "29.90", "u", ""),
        ("Réducteur de pression 3/4\"", "64", "u", ""),
        ("Tube multicouche 16x2 (au mètre)", "1.85", "m", ""),
        ("Tube cuivre écroui Ø14 (barre de 2 m)", "18.50", "u", ""),
        ("Tube cuivre écroui Ø16 (barre de 2 m)", "21", "u", ""),
        ("Tube cuivre écroui Ø22 (barre de 2 m)", "32", "u", ""),
        ("Vanne d'arrêt quart de tour 3/4\"", "14.20", "u", ""),
        ("Adoucisseur d'eau 20 L", "1290", "u", ""),
        ("Disconnecteur BA 3/4\"", "389", "u", ""),
        ("Siphon de sol inox 200x200", "59", "u", ""),
        ("Évier inox 1 bac 1 égouttoir", "149", "u", "x"),
    )),
    ("ELEC", "Électricité", "ELE", True, True, (
        ("Disjoncteur divisionnaire 10 A courbe C", "9.80", "u", ""),
        ("Disjoncteur divisionnaire 16 A courbe C", "9.80", "u", ""),
        ("Disjoncteur divisionnaire 20 A courbe C", "10.40", "u", ""),
        ("Disjoncteur divisionnaire 32 A courbe C", "12.90", "u", ""),
        ("Interrupteur différentiel 40 A 30 mA type AC", "49", "u", ""),
        ("Interrupteur différentiel 40 A 30 mA type A", "79", "u", ""),
        ("Tableau électrique 3 rangées 39 modules", "119", "u", ""),
        ("Câble R2V 3G1,5 (au mètre)", "1.10", "m", ""),
        ("Câble R2V 3G2,5 (au mètre)", "1.55", "m", ""),
        ("Câble U1000 R2V 5G6 (au mètre)", "6.90", "m", ""),
        ("Câble U1000 R2V 5G10 (au mètre)", "10.80", "m", "0"),
        ("Prise de courant 2P+T 16 A", "6.50", "u", ""),
        ("Interrupteur va-et-vient", "5.90", "u", ""),
        ("Contacteur jour/nuit 20 A", "39", "u", ""),
        ("Parafoudre tête de ligne type 2", "149", "u", ""),
        ("Gaine ICTA Ø20 (couronne de 100 m)", "39", "u", ""),
        ("Borne de recharge véhicule électrique 7,4 kW", "990", "u", "t"),
        ("Délesteur 2 voies", "119", "u", ""),
        ("Télérupteur 16 A", "29", "u", ""),
        ("Minuterie cage d'escalier", "39", "u", ""),
        ("Bloc multiprise 4 prises + 2 USB", "24", "u", ""),
    )),
    ("ECLAIR", "Éclairage", "ECL", True, True, (
        ("Dalle LED 600x600 36 W 4000 K", "59", "u", ""),
        ("Dalle LED 600x600 40 W 3000 K", "64", "u", ""),
        ("Réglette LED étanche IP65 1,2 m", "42", "u", ""),
        ("Réglette LED étanche IP65 1,5 m", "49", "u", ""),
        ("Projecteur LED extérieur 30 W", "45", "u", ""),
        ("Projecteur LED extérieur 50 W", "69", "u", ""),
        ("Projecteur LED extérieur 100 W", "119", "u", "0"),
        ("Hublot LED à détection", "54", "u", ""),
        ("Hublot LED rond IP65", "32", "u", ""),
        ("Spot encastrable LED orientable", "19.90", "u", ""),
        ("Lampadaire de parking LED 60 W", "489", "u", ""),
        ("Détecteur de présence plafond 360°", "59", "u", ""),
        ("Tube LED T8 120 cm", "8.90", "u", ""),
        ("Tube LED T8 150 cm", "10.90", "u", ""),
        ("Ruban LED 24 V (5 m)", "39", "u", ""),
        ("Applique murale LED extérieure", "49", "u", ""),
    )),
    ("SSI", "Sécurité incendie", "SSI", True, True, (
        ("Extincteur eau pulvérisée + additif 6 L", "79", "u", ""),
        ("Extincteur eau pulvérisée + additif 9 L", "95", "u", ""),
        ("Extincteur CO2 2 kg", "89", "u", ""),
        ("Extincteur CO2 5 kg", "159", "u", ""),
        ("Extincteur poudre ABC 6 kg", "65", "u", ""),
        ("Extincteur poudre ABC 9 kg", "79", "u", "0"),
        ("Bloc autonome d'éclairage de sécurité (BAES) évacuation 45 lm", "69", "u", ""),
        ("BAES d'ambiance anti-panique 320 lm", "119", "u", ""),
        ("BAEH habitation 8 lm", "49", "u", ""),
        ("Détecteur optique de fumée adressable", "89", "u", ""),
        ("Déclencheur manuel rouge réarmable", "45", "u", ""),
        ("Centrale d'alarme incendie type 4", "249", "u", ""),
        ("Diffuseur sonore et lumineux", "78", "u", ""),
        ("Ventouse électromagnétique pour porte coupe-feu", "129", "u", ""),
        ("Plan d'évacuation A3 plastifié", "89", "u", ""),
        ("Détecteur autonome avertisseur de fumée (DAAF)", "24.90", "u", ""),
        ("Robinet d'incendie armé DN 25 (RIA)", "690", "u", ""),
        ("Panneau de signalisation photoluminescent", "12.90", "u", ""),
    )),
    ("CLIM", "Climatisation et ventilation", "CLI", True, True, (
        ("Climatiseur mural inverter 2,5 kW", "890", "u", ""),
        ("Climatiseur mural inverter 3,5 kW", "1090", "u", ""),
        ("Climatiseur mural inverter 5 kW", "1490", "u", ""),
        ("Climatiseur gainable 7,1 kW", "3490", "u", "0"),
        ("Unité extérieure multisplit 2 sorties 5 kW", "1690", "u", ""),
        ("Cassette 4 voies 600x600 3,5 kW", "1590", "u", ""),
        ("VMC simple flux hygroréglable type B", "289", "u", ""),
        ("VMC double flux haut rendement", "1890", "u", ""),
        ("Bouche d'extraction hygroréglable", "34", "u", ""),
        ("Filtre G4 pour CTA 592x592", "22", "u", ""),
        ("Filtre F7 pour CTA 592x592", "48", "u", ""),
        ("Liaison frigorifique pré-isolée 1/4-3/8 (au mètre)", "14.50", "m", ""),
        # Refrigerant is sold to certified installers only.
        ("Fluide frigorigène R32 (au kg)", "79", "kg", "c"),
        ("Pompe de relevage des condensats", "119", "u", ""),
        ("Télécommande filaire de climatisation", "95", "u", ""),
        ("Support mural pour unité extérieure", "45", "u", ""),
    )),
    ("SURETE", "Alarme, vidéo et contrôle d'accès", "SUR", True, True, (
        ("Caméra IP dôme 4 MP", "189", "u", ""),
        ("Caméra IP bullet 8 MP vision nocturne", "249", "u", ""),
        ("Enregistreur vidéo NVR 8 voies", "390", "u", ""),
        ("Enregistreur vidéo NVR 16 voies", "590", "u", ""),
        ("Centrale d'alarme intrusion radio", "490", "u", ""),
        ("Détecteur de mouvement infrarouge radio", "79", "u", ""),
        ("Contact d'ouverture radio", "39", "u", ""),
        ("Sirène extérieure avec flash", "149", "u", ""),
        ("Clavier de commande d'alarme", "169", "u", ""),
        ("Lecteur de badges RFID", "219", "u", ""),
        ("Badges RFID (lot de 10)", "39", "u", ""),
        ("Ventouse électromagnétique 300 kg", "89", "u", ""),
        ("Visiophone 2 fils", "349", "u", ""),
        ("Gâche électrique à émission", "69", "u", ""),
        ("Détecteur de bris de vitre", "59", "u", ""),
        ("Transmetteur GSM/IP d'alarme", "259", "u", ""),
    )),
    ("RESEAU", "Courants faibles et réseaux", "RES", True, True, (
        ("Câble Cat.6 F/UTP (au mètre)", "0.95", "m", ""),
        ("Noyau RJ45 Cat.6", "7.90", "u", ""),
        ("Baie de brassage 19\" 12 U", "390", "u", ""),
        ("Baie de brassage 19\" 24 U", "590", "u", ""),
        ("Switch 24 ports PoE", "490", "u", ""),
        ("Switch 8 ports", "89", "u", ""),
        ("Panneau de brassage 24 ports Cat.6", "119", "u", ""),
        ("Cordon de brassage RJ45 1 m", "4.50", "u", ""),
        ("Cordon de brassage RJ45 3 m", "6.90", "u", ""),
        ("Borne Wi-Fi professionnelle", "249", "u", ""),
        ("Onduleur 1000 VA", "290", "u", ""),
        ("Onduleur 1500 VA", "420", "u", ""),
        ("Onduleur 3000 VA", "1290", "u", "0"),
        ("Prise RJ45 murale double", "24", "u", ""),
        ("Jarretière fibre optique LC-LC 2 m", "19", "u", ""),
        ("Coffret de communication grade 2", "85", "u", ""),
    )),
    ("PIECES", "Pièces détachées SAV", "PDR", False, True, (
        ("Carte électronique chaudière Vitodens", "389", "u", ""),
        ("Électrode d'allumage et d'ionisation", "36", "u", ""),
        ("Ventilateur extracteur de chaudière", "289", "u", ""),
        ("Vanne gaz de chaudière murale", "245", "u", "0"),
        ("Échangeur à plaques ECS", "178", "u", ""),
        ("Sonde de température extérieure", "42", "u", ""),
        ("Capteur de pression chaudière", "59", "u", ""),
        ("Moteur de vanne 3 voies", "129", "u", ""),
        ("Condensateur de démarrage compresseur 35 µF", "19", "u", ""),
        ("Carte électronique d'unité extérieure de climatisation", "420", "u", ""),
        ("Sonde NTC de climatisation", "28", "u", ""),
        ("Batterie 12 V 7 Ah", "24", "u", ""),
        ("Accumulateur Ni-Cd BAES 3,6 V", "14.50", "u", ""),
        ("Joint de corps de chauffe", "18", "u", ""),
        ("Kit entretien chaudière (joints, électrode)", "49", "u", ""),
        ("Thermocouple universel", "16", "u", ""),
        ("Pressostat air", "65", "u", ""),
        ("Gicleur fioul 0,60 G 60°", "12", "u", ""),
    )),
    ("ATELIER", "Outillage et consommables d'atelier", "ATL", False, True, (
        ("Gants de protection (paire)", "4.50", "u", ""),
        ("Lunettes de protection", "6.90", "u", ""),
        ("Bombe de détection de fuite de gaz", "9.50", "u", ""),
        ("Pâte à joint pour filetage", "8.90", "u", ""),
        ("Ruban PTFE", "1.90", "u", ""),
        ("Fil à souder étain", "24", "u", ""),
        ("Chevilles à frapper 6x40 (boîte de 100)", "9.90", "u", ""),
        ("Colliers de serrage (sachet de 100)", "5.90", "u", ""),
        ("Mousse expansive coupe-feu", "19.90", "u", ""),
        ("Mastic silicone sanitaire blanc", "7.50", "u", ""),
        ("Nettoyant désinfectant pour climatisation", "14.90", "u", ""),
        ("Détartrant pour échangeur (5 L)", "39", "u", ""),
    )),
    ("MO", "Main-d'œuvre et déplacements", "MO", True, True, (
        ("Heure de main-d'œuvre technicien", "58", "h", "L"),
        ("Heure de main-d'œuvre technicien qualifié (frigoriste, SSI)", "68", "h", "L"),
        ("Heure de main-d'œuvre compagnon et apprenti", "85", "h", "L"),
        ("Heure de main-d'œuvre de nuit, dimanche ou jour férié", "96", "h", "L"),
        ("Heure de main-d'œuvre en logement rénové (TVA 10 %)", "58", "h", "Lr"),
        ("Forfait déplacement zone 1 (moins de 20 km)", "45", "forfait", "L"),
        ("Forfait déplacement zone 2 (20 à 40 km)", "65", "forfait", "L"),
        ("Forfait déplacement zone 3 (plus de 40 km)", "89", "forfait", "L"),
        ("Forfait mise en service de chaudière", "149", "forfait", "L"),
        ("Forfait diagnostic et dépannage", "95", "forfait", "L"),
        ("Forfait astreinte week-end", "180", "forfait", "L"),
        ("Heure de main-d'œuvre – coût interne", "38", "h", "Lc"),
    )),
    ("OUVR", "Ouvrages (fourni-posé)", "OUV", True, True, (
        ("Remplacement de chaudière murale gaz à condensation 25 kW (fourni-posé)", "4990",
         "forfait", "B"),
        ("Remplacement de chauffe-eau électrique 200 L (fourni-posé)", "899", "forfait", "B"),
        ("Pose d'un climatiseur mural 3,5 kW (fourni-posé)", "2390", "forfait", "B"),
        ("Équipement BAES d'un niveau, 10 blocs (fourni-posé)", "1190", "forfait", "B"),
        ("Installation de vidéosurveillance 4 caméras (fourni-posé)", "2290", "forfait", "B"),
        ("Mise en conformité de tableau électrique (fourni-posé)", "1390", "forfait", "B"),
    )),
    ("SERVICES", "Contrats et extensions de garantie", "SRV", True, False, (
        ("Extension de garantie 2 ans – chaudière", "189", "forfait", "L"),
        ("Extension de garantie 2 ans – climatisation", "149", "forfait", "L"),
        ("Contrat d'entretien annuel – chaudière individuelle", "159", "forfait", "L"),
        ("Contrat d'entretien annuel – climatisation (par unité)", "129", "forfait", "L"),
        ("Contrat de maintenance SSI (par site)", "690", "forfait", "L"),
        ("Vérification annuelle des extincteurs (par appareil)", "9.50", "u", "L"),
        ("Télésurveillance (abonnement mensuel)", "39", "forfait", "L"),
        ("Maintenance vidéosurveillance (abonnement annuel)", "390", "forfait", "L"),
    )),
)

BUNDLES: dict[str, tuple[tuple[str, str], ...]] = {
    "Remplacement de chaudière murale gaz à condensation 25 kW (fourni-posé)": (
        ("Chaudière murale gaz à condensation 25 kW", "1"),
        ("Vase d'expansion chauffage 18 L", "1"),
        ("Soupape de sécurité 3 bar 1/2\"", "1"),
        ("Filtre magnétique de désembouage 3/4\"", "1"),
        ("Heure de main-d'œuvre technicien", "8"),
        ("Forfait mise en service de chaudière", "1"),
    ),
    "Remplacement de chauffe-eau électrique 200 L (fourni-posé)": (
        ("Chauffe-eau électrique vertical 200 L", "1"),
        ("Groupe de sécurité chauffe-eau 3/4\"", "1"),
        ("Heure de main-d'œuvre technicien", "3"),
    ),
    "Pose d'un climatiseur mural 3,5 kW (fourni-posé)": (
        ("Climatiseur mural inverter 3,5 kW", "1"),
        ("Liaison frigorifique pré-isolée 1/4-3/8 (au mètre)", "5"),
        ("Support mural pour unité extérieure", "1"),
        ("Pompe de relevage des condensats", "1"),
        ("Heure de main-d'œuvre technicien qualifié (frigoriste, SSI)", "6"),
    ),
    "Équipement BAES d'un niveau, 10 blocs (fourni-posé)": (
        ("Bloc autonome d'éclairage de sécurité (BAES) évacuation 45 lm", "10"),
        ("Heure de main-d'œuvre technicien", "5"),
    ),
    "Installation de vidéosurveillance 4 caméras (fourni-posé)": (
        ("Caméra IP dôme 4 MP", "4"),
        ("Enregistreur vidéo NVR 8 voies", "1"),
        ("Câble Cat.6 F/UTP (au mètre)", "80"),
        ("Heure de main-d'œuvre technicien", "8"),
    ),
    "Mise en conformité de tableau électrique (fourni-posé)": (
        ("Tableau électrique 3 rangées 39 modules", "1"),
        ("Disjoncteur divisionnaire 16 A courbe C", "8"),
        ("Interrupteur différentiel 40 A 30 mA type A", "2"),
        ("Parafoudre tête de ligne type 2", "1"),
        ("Heure de main-d'œuvre technicien", "6"),
    ),
}

TRAVEL_ARTICLES = {
    1: "Forfait déplacement zone 1 (moins de 20 km)",
    2: "Forfait déplacement zone 2 (20 à 40 km)",
    3: "Forfait déplacement zone 3 (plus de 40 km)",
}
TRAVEL_HOURS = {1: Decimal("0.5"), 2: Decimal("0.75"), 3: Decimal("1.25")}
LABOUR = "Heure de main-d'œuvre technicien"
QUALIFIED_LABOUR = "Heure de main-d'œuvre technicien qualifié (frigoriste, SSI)"


# --------------------------------------------------------------------------------------------
# What happens to the equipment: requests, work done, parts
# --------------------------------------------------------------------------------------------

PROBLEMS = {
    "chauffage": (
        "Chaudière en défaut : plus de chauffage ni d'eau chaude.",
        "La pression du circuit de chauffage chute régulièrement (0,5 bar le matin).",
        "Radiateurs froids au 2e étage alors que la chaudière fonctionne.",
        "Bruit de claquement en chaufferie au démarrage du brûleur.",
        "Code erreur affiché : la chaudière redémarre puis se remet en sécurité.",
    ),
    "clim": (
        "La climatisation souffle de l'air tiède en salle de réunion.",
        "Fuite d'eau sous l'unité intérieure (condensats).",
        "Unité extérieure très bruyante depuis deux jours.",
        "Mauvaise odeur à la mise en route de la climatisation.",
        "L'appareil ne démarre plus, la télécommande est sans effet.",
    ),
    "ssi": (
        "La centrale incendie affiche un dérangement sur la boucle 2.",
        "Plusieurs blocs de secours restent éteints après le test mensuel.",
        "Déclencheur manuel cassé au rez-de-chaussée.",
        "Alarme incendie déclenchée sans raison cette nuit.",
    ),
    "elec": (
        "Disjonctions répétées sur le départ atelier.",
        "L'onduleur sonne et signale un défaut batterie.",
        "Le groupe électrogène n'a pas démarré lors de l'essai mensuel.",
        "Prises hors tension dans les bureaux du 1er étage.",
    ),
    "surete": (
        "Caméra du parking hors ligne sur l'enregistreur.",
        "Badge refusé sur la porte principale pour plusieurs salariés.",
        "Fausses alarmes intrusion la nuit, le détecteur du couloir semble en cause.",
        "Enregistreur vidéo : disque plein, plus d'enregistrement.",
    ),
    "plomberie": (
        "Plus d'eau chaude aux vestiaires.",
        "Fuite au niveau du groupe de sécurité du chauffe-eau.",
        "Pression d'eau très faible dans les étages.",
        "Adoucisseur en alarme, l'eau est dure au robinet.",
    ),
}

WORK_DONE = {
    "chauffage": (
        "Remplacement de l'électrode d'allumage, nettoyage du brûleur, analyse de combustion "
        "conforme. Remise en service.",
        "Recherche de fuite, remplacement de la soupape de sécurité, remise en pression à "
        "1,5 bar.",
        "Purge et désembouage partiel du circuit, équilibrage des radiateurs du 2e étage.",
        "Remplacement du capteur de pression défectueux, essais de fonctionnement satisfaisants.",
    ),
    "clim": (
        "Nettoyage des filtres et de la batterie, contrôle de la charge en fluide, températures "
        "de soufflage conformes.",
        "Débouchage de l'évacuation des condensats, remplacement de la pompe de relevage.",
        "Remplacement du condensateur de démarrage du compresseur, essais satisfaisants.",
        "Traitement désinfectant de l'unité intérieure, remplacement de la sonde de reprise.",
    ),
    "ssi": (
        "Remplacement de deux accumulateurs de BAES, essai de l'ensemble des blocs du niveau.",
        "Localisation du défaut de boucle (détecteur encrassé), remplacement du détecteur, "
        "essais de la boucle.",
        "Remplacement du déclencheur manuel, essai de déclenchement et réarmement de la centrale.",
    ),
    "elec": (
        "Contrôle de l'isolement, remplacement du disjoncteur du départ atelier.",
        "Remplacement des batteries de l'onduleur, test d'autonomie de 12 minutes.",
        "Remplacement de la batterie de démarrage du groupe, essai en charge réussi.",
    ),
    "surete": (
        "Remplacement de l'alimentation PoE de la caméra, vérification des enregistrements.",
        "Réinitialisation du lecteur de badges et réenrôlement de 12 badges.",
        "Remplacement du détecteur de mouvement du couloir, essais de la zone.",
    ),
    "plomberie": (
        "Remplacement du groupe de sécurité, contrôle de la pression d'alimentation.",
        "Détartrage de l'échangeur et remplacement de l'anode, remise en chauffe.",
        "Réglage du réducteur de pression et du surpresseur, pression stabilisée à 3 bar.",
    ),
}

PARTS = {
    "chauffage": ("Électrode d'allumage et d'ionisation", "Soupape de sécurité 3 bar 1/2\"",
                  "Capteur de pression chaudière", "Kit entretien chaudière (joints, électrode)",
                  "Sonde de température extérieure", "Moteur de vanne 3 voies"),
    "clim": ("Filtre G4 pour CTA 592x592", "Condensateur de démarrage compresseur 35 µF",
             "Sonde NTC de climatisation", "Fluide frigorigène R32 (au kg)",
             "Pompe de relevage des condensats"),
    "ssi": ("Accumulateur Ni-Cd BAES 3,6 V", "Déclencheur manuel rouge réarmable",
            "Détecteur optique de fumée adressable", "Batterie 12 V 7 Ah"),
    "elec": ("Batterie 12 V 7 Ah", "Disjoncteur divisionnaire 16 A courbe C",
             "Contacteur jour/nuit 20 A"),
    "surete": ("Caméra IP dôme 4 MP", "Badges RFID (lot de 10)",
               "Détecteur de mouvement infrarouge radio"),
    "plomberie": ("Groupe de sécurité chauffe-eau 3/4\"", "Réducteur de pression 3/4\"",
                  "Vanne d'arrêt quart de tour 3/4\""),
}

PREVENTIVE_WORK = (
    "Visite de maintenance préventive réalisée selon la gamme du contrat : contrôles de "
    "sécurité, nettoyage, relevés et essais. Aucune anomalie constatée."
)
CANCEL_REASONS = (
    "Annulée à la demande du client : l'équipement est reparti après un redémarrage.",
    "Annulée : accès au site impossible, le client reprendra contact.",
    "Annulée : doublon d'une demande déjà planifiée.",
)
QUOTE_REQUESTS = (
    ("Pouvez-vous nous faire un devis pour le remplacement des blocs de secours du 1er étage ?",
     "Devis envoyé par e-mail. Bonne réception."),
    ("Demande de devis pour l'ajout de deux caméras sur le parking.",
     "Devis transmis, nous restons à votre disposition."),
    ("Merci de nous rappeler pour programmer la visite annuelle.",
     "Visite programmée avec vous par téléphone."),
    ("Question sur la garantie de notre climatiseur installé l'an dernier.",
     "L'appareil est sous garantie jusqu'à la date indiquée sur votre parc d'équipements."),
)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def luhn_valid(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def luhn_complete(prefix: str) -> str:
    """The prefix followed by the digit that makes it pass the Luhn check."""
    return next(prefix + str(d) for d in range(10) if luhn_valid(prefix + str(d)))


def siren_siret_vat(siren_base: str, nic_base: str) -> tuple[str, str]:
    """A valid SIRET (14 digits, Luhn) and the matching French VAT number."""
    siren = luhn_complete(siren_base)
    siret = luhn_complete(siren + nic_base)
    key = (12 + 3 * (int(siren) % 97)) % 97
    return siret, f"FR{key:02d}{siren}"


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c in ".-")


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, min(day.day, 28))


def _working_day_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _working_day_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _hours(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------


@dataclass
class _Job:
    """One service event: an intervention (maybe from a request), or a request alone."""

    client: str
    # "corrective" (a client's request, then an intervention), "technician" (an intervention
    # created without a request), "preventive" (a contract visit) or "request" (a request
    # without intervention, waiting or answered)
    kind: str
    status: str | None  # the intervention's final status
    day: datetime.date | None
    requested_at: datetime.datetime
    hour: int = 9
    minute: int = 0
    duration: Decimal = Decimal("2")
    equipment: Equipment | None = None
    site: Site | None = None
    technicians: list[User] = field(default_factory=list)
    urgent: bool = False
    signed: bool = True
    ticket_status: str | None = None  # for requests without intervention
    description: str = ""
    answer: str = ""
    contract: Contract | None = None
    serial_typed: str = ""


@dataclass
class _InvoiceSpec:
    day: datetime.date
    client: str
    lines: list[dict]
    order: Order | None = None
    intervention: Intervention | None = None


class _DemoBuilder:
    def __init__(self, log: Log):
        self.log = log
        self.rng = random.Random(SEED)
        factory.random.reseed_random(SEED)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.users: dict[str, User] = {}
        self.contacts: dict[str, Contact] = {}
        self.accounts: dict[str, ClientAccount] = {}
        self.specs: dict[str, ClientSpec] = {c.code: c for c in CLIENTS}
        self.sites: dict[str, list[Site]] = {}
        self.contracts: dict[tuple[str, str], Contract] = {}
        self.equipment: dict[str, list[Equipment]] = {}
        self.equipment_model: dict[int, str] = {}
        self.meter: dict[int, Decimal] = {}
        self.articles: dict[str, Article] = {}
        self.available: dict[int, Decimal] = {}
        self.invoices: list[_InvoiceSpec] = []
        self.invoiced_orders: list[int] = []
        self.seeded: dict[str, list[int]] = {"order": [], "ticket": [], "intervention": []}
        self.signed: list[int] = []  # signed interventions, for their report PDFs
        self.signatures: dict[str, bytes] = {}
        self.timeline_last: dict[int, datetime.datetime] = {}
        self.sequence_base = {
            (s.name, s.year): s.last_value
            for s in NumberSequence.objects.filter(name__in=["order", "ticket", "intervention"])
        }

    # -- time ----------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def past(self, moment: datetime.datetime) -> datetime.datetime:
        """Never after now: history is history."""
        return min(moment, self.now - datetime.timedelta(minutes=2))

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    # -- build ---------------------------------------------------------------------------------

    def build(self) -> None:
        steps = [
            # First: every invoice and report PDF rendered below prints this identity.
            ("Identité de l'entreprise", self.build_branding),
            ("Personnel et techniciens", self.build_staff),
            ("Clients, sites, contacts et accès portail", self.build_clients),
            ("Catalogue", self.build_catalog),
            ("Contrats et parc d'équipements", self.build_equipment),
            ("Commandes", self.build_orders),
            ("Demandes et interventions", self.build_service),
            ("Factures", self.build_invoices),
            ("Numérotation chronologique", self.renumber),
            ("Dates de création", self.spread_creation_dates),
            ("PDF des dernières factures", self.render_recent_invoice_pdfs),
            ("PDF des bons d'intervention signés", self.render_intervention_reports),
            ("PDF des contrats", self.render_contract_pdfs),
            ("PDF des commandes passées", self.render_order_pdfs),
        ]
        for label, step in steps:
            started = time.monotonic()
            step()
            self.log(f"  {label} : {time.monotonic() - started:.1f} s")

    def render_recent_invoice_pdfs(self) -> None:
        """The five latest invoices of each company get their stored PDF (a GED document)
        now; older ones are rendered on their first download."""
        from portal_api.billing.models import Invoice
        from portal_api.billing.services import invoice_pdf_ensure

        for account_id in Invoice.objects.values_list("client_account_id", flat=True).distinct():
            for invoice in (Invoice.objects.filter(client_account_id=account_id)
                            .exclude(status="draft").order_by("-issue_date", "-sequence")[:5]):
                invoice_pdf_ensure(invoice=invoice)

    def render_intervention_reports(self) -> None:
        """Every signed intervention of Dupond Industrie (the story's client) and the two
        latest of each other company get their stored report PDF (a GED document) now; the
        others' older ones are rendered on their first download."""
        from portal_api.service.services import intervention_report_ensure

        signed = (Intervention.objects.filter(pk__in=self.signed, report=None)
                  .order_by("-signed_at", "-pk"))
        picked = list(signed.filter(client_account__code=MARKER_CLIENT_CODE))
        for account_id in (signed.exclude(client_account__code=MARKER_CLIENT_CODE)
                           .order_by().values_list("client_account_id", flat=True).distinct()):
            picked += list(signed.filter(client_account_id=account_id)[:2])
        for intervention in sorted(picked, key=lambda i: i.pk):
            intervention_report_ensure(intervention=intervention)

    def render_contract_pdfs(self) -> None:
        """Every contract gets its PDF in its client's documents (dated its start)."""
        from portal_api.billing.services import contract_pdf_ensure

        for contract in sorted(self.contracts.values(), key=lambda c: c.pk):
            contract_pdf_ensure(contract=contract)

    def render_order_pdfs(self) -> None:
        """Every placed order gets its PDF in its client's documents (dated the day it was
        placed), as order_submit's task does for real orders once the transaction commits."""
        from portal_api.orders.services import order_pdf_ensure

        for order in Order.objects.filter(pk__in=self.seeded["order"]).order_by("pk"):
            order_pdf_ensure(order=order)

    # -- the company ---------------------------------------------------------------------------

    def build_branding(self) -> None:
        """The company issuing the invoices and reports, with every legal mention filled in."""
        from cms.models import BrandingSettings

        siret, vat = siren_siret_vat("81234567", "0001")
        siren = siret[:9]
        brand = BrandingSettings.load()
        brand.company_name = "Atelier Services"
        brand.legal_form = "SAS"
        brand.share_capital = Decimal("50000")
        brand.address = "12 rue des Artisans\n69007 Lyon"
        brand.phone = "04 72 00 00 00"
        brand.email = "service-client@atelier-services.fr"
        brand.siret = siret
        brand.vat_number = vat
        brand.rcs = f"RCS Lyon {siren[:3]} {siren[3:6]} {siren[6:]}"
        brand.payment_terms = ("Règlement par virement bancaire ou par chèque à l'ordre "
                               "d'Atelier Services.")
        brand.late_penalty_rate = "3 fois le taux d'intérêt légal en vigueur"
        brand.discount_terms = "Pas d'escompte pour paiement anticipé."
        brand.legal_mentions = (f"<p>Atelier Services SAS au capital de 50 000 € – {brand.rcs} "
                                f"– TVA {vat}.</p>")
        # The footer's link to the legal notice is a page link, set with the pages
        # (cms/services.py, portal_content_ensure): shown in the visitor's language.
        brand.full_clean()
        brand.save()

    # -- staff ---------------------------------------------------------------------------------

    def _user(self, spec, *, is_staff=False, is_superuser=False) -> User:
        user = user_create(email=spec.email, first_name=spec.first_name,
                           last_name=spec.last_name, is_staff=is_staff,
                           is_superuser=is_superuser,
                           phone=getattr(spec, "phone", "") or getattr(spec, "mobile", ""))
        self.users[spec.key] = user
        return user

    def build_staff(self) -> None:
        # Every staff user holds roles (roles.py), the administrator too: nobody is a
        # superuser, whom Django would grant every permission, the portal's ones included.
        for spec, role in BACK_OFFICE:
            staff_role_grant(user=self._user(spec, is_staff=True), role=role)
        for spec, sees_all, color in TECHNICIANS:
            user = self._user(spec, is_staff=True)
            technician_profile_create(user=user, can_see_all_interventions=sees_all, color=color)

    # -- clients -------------------------------------------------------------------------------

    def build_clients(self) -> None:
        for spec in CLIENTS:
            siret, vat = siren_siret_vat(spec.siren_base, spec.nic_base)
            account = client_account_create(
                code=spec.code, name=spec.name, siret=siret, vat_number=vat,
                address=spec.address, postal_code=spec.postal_code, city=spec.city,
                email=spec.email, phone=spec.phone, active=spec.active,
            )
            self.accounts[spec.code] = account
            self.sites[spec.code] = [
                site_create(client_account=account, name=name, address=address,
                            postal_code=postal_code, city=city)
                for name, address, postal_code, city in spec.sites
            ]
            for person in spec.users:
                user = self._user(person)
                rights = None
                if person.role == PortalRole.CUSTOM:
                    rights = {name: name in person.rights for name in PORTAL_RIGHTS}
                portal_profile_create(user=user, client_account=account, role=person.role,
                                      rights=rights)
                self.contacts[person.key] = contact_create(
                    client_account=account, first_name=person.first_name,
                    last_name=person.last_name, role=person.job, email=person.email,
                    phone=spec.phone, mobile=person.mobile, user=user,
                )
            domain = spec.email.split("@")[1]
            for first_name, last_name, role in spec.extra_contacts:
                first_name = first_name or self.fake.first_name()
                last_name = last_name or self.fake.last_name()
                ContactFactory(
                    client_account=account, first_name=first_name, last_name=last_name,
                    role=role, email=f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}@{domain}",
                )
        # One hash for every demo user: hashing is deliberately slow (PBKDF2).
        validate_password(DEMO_PASSWORD)
        User.objects.filter(pk__in=[u.pk for u in self.users.values()]).update(
            password=make_password(DEMO_PASSWORD),
            date_joined=self.at(self.days_ago(400), 9),
        )

    def portal_user(self, code: str, right: str) -> User:
        """The first user of the company who holds this right."""
        for person in self.specs[code].users:
            if right in person.rights:
                return self.users[person.key]
        raise LookupError(f"no user of {code} holds {right}")

    def contact_of(self, user: User) -> Contact | None:
        return next((c for c in self.contacts.values() if c.user_id == user.pk), None)

    # -- catalogue -----------------------------------------------------------------------------

    def build_catalog(self) -> None:
        articles = []
        for position, (code, name, prefix, clients, technicians, items) in enumerate(CATALOG):
            family = ArticleFamilyFactory(code=code, name=name, position=(position + 1) * 10,
                                          visible_to_clients=clients,
                                          visible_to_technicians=technicians)
            for index, (label, price, unit, flags) in enumerate(items, start=1):
                kind = (ArticleKind.BUNDLE if "B" in flags
                        else ArticleKind.LABOUR if "L" in flags else ArticleKind.PRODUCT)
                tracked = kind == ArticleKind.PRODUCT
                stock = self._initial_stock(Decimal(price), unit, flags, tracked)
                articles.append(ArticleFactory.build(
                    family=family, reference=f"{prefix}-{index * 10:04d}", label=label,
                    kind=kind, unit=unit, price_excl_tax=Decimal(price),
                    vat_rate=Decimal("10.00") if "r" in flags else Decimal("20.00"),
                    track_stock=tracked, stock_on_hand=stock,
                    restock_date=self._restock_date(label, stock, tracked),
                    visible_to_clients="c" not in flags, visible_to_technicians="t" not in flags,
                    active="x" not in flags,
                ))
        Article.objects.bulk_create(articles)
        self.articles = {a.label: a for a in Article.objects.select_related("family")}
        self.available = {a.pk: a.stock_available for a in self.articles.values()}
        BundleComponent.objects.bulk_create([
            BundleComponent(bundle=self.articles[bundle], component=self.articles[component],
                            quantity=Decimal(quantity))
            for bundle, components in BUNDLES.items()
            for component, quantity in components
        ])

    def _restock_date(self, label: str, stock: Decimal, tracked: bool) -> datetime.date | None:
        """Out-of-stock and low articles await a delivery in one to five weeks: the date that
        a back-order announces (ORDER_STOCK_POLICY=backorder). Derived from the label, not
        drawn from self.rng, so that the rest of the demo stays what it was."""
        if not tracked or stock > settings.CATALOG_LOW_STOCK_THRESHOLD * 2:
            return None
        return self.today + datetime.timedelta(days=7 + zlib.crc32(label.encode()) % 29)

    def _initial_stock(self, price: Decimal, unit: str, flags: str, tracked: bool) -> Decimal:
        if not tracked or "0" in flags:
            return Decimal(0)
        if unit in ("m", "kg"):
            return Decimal(self.rng.choice([250, 400, 600, 1000]))
        if price >= 1000:
            return Decimal(self.rng.randint(4, 9))
        if price >= 200:
            return Decimal(self.rng.randint(8, 24))
        return Decimal(self.rng.randint(30, 240))

    # -- contracts and equipment ---------------------------------------------------------------

    def build_equipment(self) -> None:
        for spec in CLIENTS:
            account = self.accounts[spec.code]
            for contract_spec in spec.contracts:
                start = _month_start(self.today, contract_spec.months_ago)
                end = _add_years(start, contract_spec.years) - datetime.timedelta(days=1)
                number = f"CT-{start.year}-{len(self.contracts) + 1:03d}"
                contract = contract_create(
                    client_account=account, number=number, title=contract_spec.title,
                    start_date=start, end_date=end,
                    annual_amount_excl_tax=Decimal(contract_spec.annual_amount),
                    visits_per_year=contract_spec.visits_per_year,
                )
                if not contract_spec.active:
                    Contract.objects.filter(pk=contract.pk).update(active=False)
                    contract.active = False
                self.contracts[(spec.code, contract_spec.key)] = contract
            self.equipment[spec.code] = []
            serials: set[str] = set()
            for item in spec.equipment:
                label, brand, model, prefix, _category, has_meter, years = (
                    EQUIPMENT_MODELS[item.model]
                )
                install, warranty_end = self._warranty(item.warranty, years)
                serial = f"{prefix}{install:%y}{self.rng.randint(0, 999999):06d}"
                while serial in serials:
                    serial = f"{prefix}{install:%y}{self.rng.randint(0, 999999):06d}"
                serials.add(serial)
                equipment = equipment_create(
                    client_account=account, site=self.sites[spec.code][item.site],
                    serial_number=serial, label=label, brand=brand, model=model,
                    install_date=install, warranty_end=warranty_end,
                    contract=self.contracts.get((spec.code, item.contract)),
                )
                self.equipment[spec.code].append(equipment)
                self.equipment_model[equipment.pk] = item.model
                if has_meter:
                    self.meter[equipment.pk] = Decimal(self.rng.randint(1200, 18000))

    def _warranty(self, story: str, years: int) -> tuple[datetime.date, datetime.date]:
        rng = self.rng
        if story == "old":
            install = self.days_ago(rng.randint(5 * 365, 9 * 365))
        elif story == "expired":
            install = _add_years(self.days_ago(rng.randint(20, 150)), -years)
        elif story == "soon":
            install = _add_years(self.days_ago(-rng.randint(10, 50)), -years)
        else:
            install = self.days_ago(rng.randint(60, 500))
        return install, _add_years(install, years)

    def category(self, equipment: Equipment | None) -> str:
        if equipment is None:
            return self.rng.choice(sorted(PROBLEMS))
        return EQUIPMENT_MODELS[self.equipment_model[equipment.pk]][4]

    # -- orders --------------------------------------------------------------------------------

    def build_orders(self) -> None:
        rng = self.rng
        S = OrderStatus
        plan: list[tuple[str, int, str, str | None]] = [
            ("DUPOND", 0, S.DRAFT, None), ("DUPOND", 1, S.SUBMITTED, None),
            ("DUPOND", 5, S.CONFIRMED, None), ("DUPOND", 12, S.DELIVERED, None),
            ("DUPOND", 44, S.CANCELLED, None), ("EXEMPLE", 2, S.DRAFT, None),
            ("EXEMPLE", 3, S.SUBMITTED, None), ("CLINPARC", 4, S.DRAFT, "lambert"),
            ("CLINPARC", 7, S.CONFIRMED, None), ("BELLECOUR", 15, S.DELIVERED, None),
            ("BELLECOUR", 9, S.CANCELLED, None),
        ]
        active = [c for c in CLIENTS if c.active]
        for i in range(64):
            spec = rng.choices(active, weights=[c.weight for c in active])[0]
            status = S.CANCELLED if i % 13 == 6 else S.INVOICED
            plan.append((spec.code, rng.randint(21, 362), status, None))
        for _ in range(3):
            plan.append(("GIRARD", rng.randint(220, 350), S.INVOICED, None))
        plan.sort(key=lambda p: -p[1])
        orderable = sorted(
            (a for a in self.articles.values()
             if a.active and a.visible_to_clients and a.family.visible_to_clients
             and a.kind != ArticleKind.LABOUR),
            key=lambda a: a.reference,
        )
        for number, (code, age, status, preparer) in enumerate(plan, start=1):
            self._order(code, age, status, preparer, orderable, number)

    def _order_lines(self, orderable: list[Article]) -> list[tuple[Article, Decimal]]:
        rng = self.rng
        lines = []
        for article in rng.sample(orderable, rng.choice([1, 2, 2, 3, 3, 4]) * 2):
            if len(lines) >= 4:
                break
            if article.unit in ("m", "kg"):
                quantity = Decimal(rng.choice([10, 20, 25, 50]))
            elif article.price_excl_tax >= 500:
                quantity = Decimal(1)
            elif article.price_excl_tax >= 50:
                quantity = Decimal(rng.randint(1, 4))
            else:
                quantity = Decimal(rng.randint(2, 12))
            if article.track_stock and self.available[article.pk] < quantity:
                continue
            lines.append((article, quantity))
            if rng.random() < 0.4:
                break
        if not lines:  # everything sampled was short: a small line of a well-stocked article
            article = max(orderable, key=lambda a: (a.track_stock, self.available[a.pk]))
            lines.append((article, Decimal(1)))
        return lines

    def _order(self, code: str, age: int, status: str, preparer: str | None,
               orderable: list[Article], number: int) -> None:
        rng = self.rng
        S = OrderStatus
        account = self.accounts[code]
        buyer = self.portal_user(code, "can_place_orders")
        prepared_by = self.users[preparer] if preparer else buyer
        if age == 0:
            created = self.past(self.now - datetime.timedelta(minutes=50))
        else:
            day = _working_day_before(self.days_ago(age))
            created = self.past(self.at(day, rng.randint(8, 17), rng.choice(range(0, 60, 5))))
        lines = self._order_lines(orderable)
        order = order_create_draft(
            client_account=account, prepared_by=prepared_by, lines=lines,
            customer_reference=f"{code[:3]}-{created:%y%m}-{number:03d}"
            if rng.random() < 0.7 else "",
            delivery_site=rng.choice(self.sites[code]),
            comment=rng.choice(["", "", "", "Livraison au quai n° 2, de 8 h à 12 h.",
                                "Merci de prévenir l'accueil avant la livraison."]),
        )
        dates = {"created_at": created, "updated_at": created}
        if status != S.DRAFT:
            order_submit(order=order, submitted_by=buyer)
            self.seeded["order"].append(order.pk)
            for article, quantity in lines:
                if article.track_stock:
                    self.available[article.pk] -= quantity
            dates["submitted_at"] = dates["updated_at"] = self.past(
                created + datetime.timedelta(minutes=rng.randint(5, 120)))
        if status == S.CANCELLED:
            order_cancel(order=order)
            for article, quantity in lines:
                if article.track_stock:
                    self.available[article.pk] += quantity
            dates["cancelled_at"] = dates["updated_at"] = self.past(
                dates["submitted_at"] + datetime.timedelta(hours=rng.randint(2, 30)))
        elif status in (S.CONFIRMED, S.DELIVERED, S.INVOICED):
            order_confirm(order=order)
            confirmed_day = _working_day_after(
                timezone.localdate(dates["submitted_at"]) + datetime.timedelta(days=1))
            dates["confirmed_at"] = dates["updated_at"] = self.past(
                self.at(confirmed_day, rng.randint(8, 11), rng.choice([0, 15, 30, 45])))
            if status in (S.DELIVERED, S.INVOICED):
                order_deliver(order=order)
                delivered_day = _working_day_after(
                    confirmed_day + datetime.timedelta(days=rng.randint(2, 5)))
                dates["delivered_at"] = dates["updated_at"] = self.past(
                    self.at(delivered_day, rng.randint(9, 16)))
            if status == S.INVOICED:
                invoice_day = min(
                    _working_day_after(
                        timezone.localdate(dates["delivered_at"])
                        + datetime.timedelta(days=rng.randint(0, 3))),
                    self.days_ago(1),
                )
                self.invoiced_orders.append(order.pk)
                self.invoices.append(_InvoiceSpec(
                    day=invoice_day, client=code, order=order,
                    lines=[{"article": line.article, "label": line.label,
                            "quantity": line.quantity,
                            "unit_price_excl_tax": line.unit_price_excl_tax,
                            "vat_rate": line.vat_rate}
                           for line in order.lines.select_related("article")],
                ))
        Order.objects.filter(pk=order.pk).update(**dates)

    # -- requests and interventions ------------------------------------------------------------

    def technicians_pick(self, *, julie: bool | None = None) -> list[User]:
        rng = self.rng
        julie_user, thomas, karim = (self.users[k] for k in ("julie", "thomas", "karim"))
        if julie is True:
            first = julie_user
        elif julie is False:
            first = rng.choice([thomas, karim])
        else:
            first = rng.choices([julie_user, thomas, karim], weights=[4, 3, 3])[0]
        team = [first]
        if rng.random() < 0.15:
            team.append(rng.choice([u for u in (julie_user, thomas, karim) if u != first]))
        return team

    def _equipment_pick(self, code: str, *, allow_none: bool = True) -> Equipment | None:
        if allow_none and self.rng.random() < 0.12:
            return None
        return self.rng.choice(self.equipment[code])

    def _corrective(self, code: str, day: datetime.date | None, status: str | None, *,
                    requested_at: datetime.datetime, technicians: list[User] | None = None,
                    urgent: bool = False, equipment: Equipment | None = None,
                    from_request: bool = True, signed: bool = True, hour: int | None = None,
                    description: str = "") -> _Job:
        rng = self.rng
        equipment = equipment or self._equipment_pick(code, allow_none=from_request)
        serial_typed = ""
        if equipment is None:
            serial_typed = f"{rng.choice(['DKN', 'SDC', 'HIK', 'APC'])}{rng.randint(0, 10**8):08d}"
        category = self.category(equipment)
        return _Job(
            client=code, kind="corrective" if from_request else "technician", status=status,
            day=day, requested_at=requested_at, urgent=urgent, equipment=equipment,
            site=equipment.site if equipment else self.sites[code][0],
            technicians=technicians if technicians is not None else self.technicians_pick(),
            hour=hour if hour is not None else (rng.choice([10, 11, 14, 15]) if urgent
                                                else rng.choice([8, 9, 10, 13, 14, 15])),
            minute=rng.choice([0, 0, 30]), duration=_hours(rng.choice([1, 1.5, 2, 2.5, 3, 4])),
            signed=signed, description=description or rng.choice(PROBLEMS[category]),
            serial_typed=serial_typed,
        )

    def plan_service(self) -> list[_Job]:
        rng = self.rng
        jobs: list[_Job] = []
        active = [c for c in CLIENTS if c.active]
        IS = InterventionStatus

        # Twelve months of requests and repairs, mostly closed, a few cancelled.
        for i in range(48):
            spec = rng.choices(active, weights=[c.weight for c in active])[0]
            day = _working_day_before(self.days_ago(rng.randint(9, 362)))
            urgent = rng.random() < 0.2
            from_request = rng.random() < 0.8
            if urgent:
                requested = self.at(day, 7, rng.randint(0, 50))
            else:
                requested = self.at(
                    _working_day_before(day - datetime.timedelta(days=rng.randint(1, 6))),
                    rng.randint(8, 17), rng.randint(0, 59))
            jobs.append(self._corrective(
                spec.code, day, IS.CANCELLED if i % 11 == 5 else IS.CLOSED,
                requested_at=requested, urgent=urgent and from_request,
                from_request=from_request,
            ))
        for _ in range(3):  # the inactive client, before it left
            day = _working_day_before(self.days_ago(rng.randint(200, 350)))
            jobs.append(self._corrective(
                "GIRARD", day, IS.CLOSED,
                requested_at=self.at(day - datetime.timedelta(days=3), 10)))

        # Preventive visits of the maintenance contracts.
        for (code, _key), contract in self.contracts.items():
            step = 12 // contract.visits_per_year
            visit = _add_months(contract.start_date, step // 2)
            count = 0
            while visit <= contract.end_date and visit <= self.days_ago(-10):
                count += 1
                day = _working_day_before(visit)
                if day >= self.days_ago(362):
                    jobs.append(self._preventive(code, contract, day, count))
                visit = _add_months(visit, step)

        # The last days: done, most signed.
        recent_days = []
        day = self.today
        while len(recent_days) < 5:
            day = _working_day_before(day - datetime.timedelta(days=1))
            recent_days.append(day)
        for i, (code, julie) in enumerate([("DUPOND", True), ("CLINPARC", True),
                                           ("BELLECOUR", False), ("DUPOND", True),
                                           ("EXEMPLE", False), ("CLINPARC", False)]):
            day = recent_days[i % len(recent_days)]
            jobs.append(self._corrective(
                code, day, IS.DONE, requested_at=self.at(day - datetime.timedelta(days=2), 9, 40),
                technicians=self.technicians_pick(julie=julie), signed=i in (0, 1, 2, 4),
            ))

        # Today: Julie is on site at Dupond's, and has another intervention this afternoon.
        julie = [self.users["julie"]]
        dupond_pac = next(e for e in self.equipment["DUPOND"]
                          if self.equipment_model[e.pk] == "alfea")
        jobs.append(self._corrective(
            "DUPOND", self.today, IS.IN_PROGRESS, technicians=julie, hour=8,
            requested_at=self.past(self.at(self.days_ago(3), 16, 20)), equipment=dupond_pac,
            description="La pompe à chaleur du siège se met en défaut haute pression plusieurs "
                        "fois par jour.",
        ))
        jobs.append(self._corrective(
            "CLINPARC", self.today, IS.PLANNED, technicians=julie, hour=14,
            requested_at=self.past(self.at(self.days_ago(2), 11, 5)),
        ))
        jobs.append(self._corrective(
            "BELLECOUR", self.today, IS.PLANNED, technicians=[self.users["karim"]], hour=10,
            requested_at=self.past(self.at(self.days_ago(1), 15, 45)),
        ))

        # The coming days: planned, three of them for Julie.
        day = self.today
        for i, code in enumerate(["DUPOND", "EXEMPLE", "CLINPARC", "DUPOND", "BELLECOUR",
                                  "CLINPARC", "DUPOND"]):
            if i % 2 == 0 or i == 1:
                day = _working_day_after(day + datetime.timedelta(days=1))
            jobs.append(self._corrective(
                code, day, IS.PLANNED,
                requested_at=self.past(self.at(self.days_ago(rng.randint(1, 4)), 9, 30)),
                technicians=self.technicians_pick(julie=i in (0, 2, 4)),
            ))

        # Waiting to be planned: two requests converted, one created by the dispatcher.
        for code, from_request in [("DUPOND", True), ("EXEMPLE", True), ("BELLECOUR", False)]:
            jobs.append(self._corrective(
                code, None, IS.TO_PLAN, technicians=[], from_request=from_request,
                requested_at=self.past(self.at(self.days_ago(rng.randint(1, 3)), 14, 10)),
            ))

        # Requests without intervention: the Action Center's inbox, and a few answered ones.
        martin_moment = self.at(self.today, 7, 10)
        if martin_moment > self.now - datetime.timedelta(minutes=5):
            martin_moment = self.at(self.days_ago(1), 18, 20)
        boiler = next(e for e in self.equipment["DUPOND"]
                      if self.equipment_model[e.pk] == "vitodens49")
        jobs.append(_Job(
            client="DUPOND", kind="request", status=None, day=None, requested_at=martin_moment,
            urgent=True, equipment=boiler, site=boiler.site, ticket_status=TicketStatus.RECEIVED,
            description="URGENT – Plus de chauffage dans l'atelier de l'usine de Vénissieux "
                        "depuis ce matin : la chaudière est en défaut (absence de flamme) et ne "
                        "redémarre pas. Le personnel est en poste, merci d'intervenir au plus "
                        "vite.",
        ))
        # A serial number read on a nameplate that matches nothing of the company's equipment:
        # accepted as typed, flagged for the staff in the Action Center.
        jobs.append(_Job(
            client="DUPOND", kind="request", status=None, day=None,
            requested_at=self.past(self.at(self.days_ago(1), 10, 40)),
            ticket_status=TicketStatus.RECEIVED, serial_typed="DKN-7731-0458",
            site=self.sites["DUPOND"][0],  # the server room is at the head office
            description="Le climatiseur mural de la salle serveur goutte sur la baie de "
                        "brassage. Il n'apparaît pas dans notre parc sur le portail.",
        ))
        for code, urgent, days_ago, hour in [("CLINPARC", True, 1, 17), ("EXEMPLE", False, 1, 11),
                                             ("BELLECOUR", False, 2, 15)]:
            job = self._corrective(
                code, None, None, urgent=urgent,
                requested_at=self.past(self.at(self.days_ago(days_ago), hour, 35)))
            job.kind, job.ticket_status = "request", TicketStatus.RECEIVED
            jobs.append(job)
        for i, (question, answer) in enumerate(QUOTE_REQUESTS):
            code = active[i % len(active)].code
            moment = self.at(_working_day_before(self.days_ago(rng.randint(20, 300))), 10, 15)
            jobs.append(_Job(
                client=code, kind="request", status=None, day=None, requested_at=moment,
                ticket_status=TicketStatus.CLOSED, description=question, answer=answer,
            ))
        return jobs

    def _preventive(self, code: str, contract: Contract, day: datetime.date,
                    count: int) -> _Job:
        IS = InterventionStatus
        covered = sorted((e for e in self.equipment[code] if e.contract_id == contract.pk),
                         key=lambda e: e.pk)
        equipment = covered[(count - 1) % len(covered)] if covered else None
        if day < self.days_ago(7):
            status = IS.CLOSED
        elif day < self.today:
            status = IS.DONE
        else:
            status = IS.PLANNED
        return _Job(
            client=code, kind="preventive", status=status, day=day,
            requested_at=self.past(self.at(day - datetime.timedelta(days=14), 10)),
            hour=8, minute=30, duration=_hours(self.rng.choice([3, 3.5, 4])),
            equipment=equipment, site=equipment.site if equipment else self.sites[code][0],
            technicians=self.technicians_pick(), contract=contract,
            description=f"Visite de maintenance préventive n° {count} – contrat "
                        f"{contract.number} ({contract.title}).",
        )

    def build_service(self) -> None:
        jobs = self.plan_service()
        far = datetime.date.max
        jobs.sort(key=lambda j: (j.day or far, j.hour, j.requested_at))
        lines: list[InterventionLine] = []
        entries: list[TimeEntry] = []
        expenses: list[Expense] = []
        for job in jobs:
            self._job(job, lines, entries, expenses)
        InterventionLine.objects.bulk_create(lines)
        TimeEntry.objects.bulk_create(entries)
        Expense.objects.bulk_create(expenses)

    def _step(self, ticket: Ticket, moment: datetime.datetime) -> None:
        """The timeline steps a service just wrote for this request happened at `moment`
        (steps written during this run are the only ones dated after it started)."""
        last = self.timeline_last.get(ticket.pk)
        if last is not None and moment <= last:
            moment = last + datetime.timedelta(seconds=1)
        self.timeline_last[ticket.pk] = moment
        TicketEvent.objects.filter(ticket=ticket, created_at__gte=self.now).update(
            created_at=moment)

    def _job(self, job: _Job, lines, entries, expenses) -> None:
        """One job told through the services (request, conversion, sheet, signature, closing,
        cancellation); then the dates are moved back to when it happened, the timeline's
        steps included."""
        rng = self.rng
        IS, TS = InterventionStatus, TicketStatus
        account = self.accounts[job.client]
        dispatcher = self.users["dispatch"]
        ticket = None
        requester = None
        if job.kind in ("corrective", "request"):
            requester = self.portal_user(job.client, "can_request_interventions")
            description = job.description
            if job.serial_typed:
                description += f" (n° de série relevé sur la plaque : {job.serial_typed})"
            ticket = ticket_create(
                client_account=account, requester=requester, description=description,
                equipment=job.equipment, serial_number_typed=job.serial_typed,
                site=job.site, urgent=job.urgent, reply_to=self.contact_of(requester),
            )
            self.seeded["ticket"].append(ticket.pk)
            self._step(ticket, job.requested_at)
            ticket_dates = {"created_at": job.requested_at, "updated_at": job.requested_at}
        if job.kind == "request":
            if job.ticket_status == TS.CLOSED:
                closed = job.requested_at + datetime.timedelta(hours=rng.randint(2, 30))
                ticket_close(ticket=ticket, by=dispatcher, answer=job.answer)
                self._step(ticket, closed)
                ticket_dates.update(closed_at=closed, updated_at=closed)
            Ticket.objects.filter(pk=ticket.pk).update(**ticket_dates)
            return

        planned_start = planned_end = None
        if job.day is not None:
            planned_start = self.at(job.day, job.hour, job.minute)
            planned_end = planned_start + datetime.timedelta(hours=float(job.duration))
        if ticket is not None:
            created = job.requested_at + datetime.timedelta(minutes=rng.randint(20, 180))
        else:
            created = job.requested_at
        if planned_start is not None:
            created = min(created, planned_start - datetime.timedelta(minutes=30))
        created = self.past(created)
        to_plan = job.status == IS.TO_PLAN
        plan = {"technicians": [] if to_plan else job.technicians,
                "planned_start": None if to_plan else planned_start,
                "planned_end": None if to_plan else planned_end}
        if ticket is not None:
            # The dispatcher turns the request into an intervention from the Action Center.
            intervention = ticket_convert(
                ticket=ticket, by=dispatcher, equipment=job.equipment, site=job.site,
                contract=job.contract, description=job.description, **plan,
            )
            self._step(ticket, created)
        else:
            # A technician called directly creates the intervention himself; else the
            # dispatcher.
            created_by = dispatcher
            if job.kind == "technician" and job.technicians:
                created_by = job.technicians[0]
            intervention = intervention_create(
                client_account=account, site=job.site, created_by=created_by,
                equipment=job.equipment, description=job.description, contract=job.contract,
                **plan,
            )
        self.seeded["intervention"].append(intervention.pk)
        # The services below bring it to the job's status; only its dates are moved back.
        fields: dict = {"created_at": created, "updated_at": created}
        day = job.day or self.today
        equipment = job.equipment
        under_warranty = bool(equipment and equipment.warranty_end
                              and equipment.warranty_end >= day)
        fields["under_warranty"] = under_warranty
        spec = self.specs[job.client]
        travel = TRAVEL_HOURS[spec.zone]
        lead = job.technicians[0] if job.technicians else dispatcher

        if job.status == IS.CANCELLED:
            reason = rng.choice(CANCEL_REASONS)
            cancelled = max(self.past(planned_start - datetime.timedelta(
                hours=rng.randint(2, 40))), created)
            intervention_cancel(intervention=intervention, by=dispatcher, reason=reason)
            fields["updated_at"] = cancelled
            if ticket is not None:
                self._step(ticket, cancelled)
                ticket_close(ticket=ticket, by=dispatcher, answer=reason)
                self._step(ticket, cancelled)
                ticket_dates.update(closed_at=cancelled, updated_at=cancelled)
        elif job.status == IS.IN_PROGRESS:
            intervention_sheet_update(
                intervention=intervention, by=lead,
                departure_at=planned_start - datetime.timedelta(hours=float(travel)),
                arrival_at=planned_start,
            )
            if ticket is not None:
                self._step(ticket, self.past(planned_start))
        elif job.status in (IS.DONE, IS.CLOSED):
            departure = planned_start - datetime.timedelta(hours=float(travel))
            end = planned_start + datetime.timedelta(hours=float(job.duration))
            back = end + datetime.timedelta(hours=float(travel))
            category = self.category(equipment)
            work = (PREVENTIVE_WORK if job.kind == "preventive"
                    else rng.choice(WORK_DONE[category]))
            sheet = {"departure_at": departure, "arrival_at": planned_start, "end_at": end,
                     "return_at": back, "work_done": work, "under_warranty": under_warranty}
            if equipment is not None and equipment.pk in self.meter:
                # The sheet's meter reading is also recorded on the equipment.
                self.meter[equipment.pk] += Decimal(rng.randint(150, 900))
                sheet["meter_reading"] = self.meter[equipment.pk]
            intervention_sheet_update(intervention=intervention, by=lead, **sheet)
            fields["updated_at"] = self.past(back)
            signer = requester or self.portal_user(job.client, "can_follow_interventions")
            if job.signed or job.status == IS.CLOSED:
                signed_at = end + datetime.timedelta(minutes=rng.randint(3, 15))
                intervention_sign(intervention=intervention, by=lead,
                                  signer_name=signer.get_full_name(),
                                  signature_png=self.signature(signer.get_full_name()),
                                  render_report=False)
                fields["signed_at"] = signed_at
                self.signed.append(intervention.pk)
            else:
                # Done, the customer was not there to sign.
                intervention_mark_done(intervention=intervention, by=lead)
                signed_at = end
            if ticket is not None:
                self._step(ticket, self.past(signed_at))
            billed = self._sheet(job, intervention, lines, entries, expenses, category)
            if job.status == IS.CLOSED:
                closed = self.past(back + datetime.timedelta(days=rng.randint(1, 3)))
                if ticket is not None:
                    ticket_close(ticket=ticket, by=dispatcher, answer=(
                        f"Intervention réalisée le {job.day:%d/%m/%Y} par "
                        f"{', '.join(t.get_full_name() for t in job.technicians)}. "
                        "Le bon d'intervention signé est disponible dans votre espace."))
                    self._step(ticket, closed)
                    ticket_dates.update(closed_at=closed, updated_at=closed)
                intervention_close(intervention=intervention, by=dispatcher)
                fields["updated_at"] = closed
                # Contract visits and repairs of covered equipment are paid by the contract.
                contract = equipment.contract if equipment else None
                covered = job.kind == "preventive" or bool(
                    contract and contract.start_date <= day <= contract.end_date)
                if not covered and not under_warranty:
                    self.invoices.append(_InvoiceSpec(
                        day=min(_working_day_after(day + datetime.timedelta(
                            days=rng.randint(1, 5))), self.days_ago(1)),
                        client=job.client, intervention=intervention, lines=billed))
        Intervention.objects.filter(pk=intervention.pk).update(**fields)
        if ticket is not None:
            Ticket.objects.filter(pk=ticket.pk).update(**ticket_dates)

    def signature(self, name: str) -> bytes:
        """A customer's signature as the phone's canvas gives it: ink strokes on a
        transparent PNG, the same for the same name each time."""
        if name not in self.signatures:
            rng = random.Random(f"{SEED}-{name}")
            image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
            draw = ImageDraw.Draw(image)
            x = 30
            points = [(x, 110)]
            while x < 440:
                x += rng.randint(18, 46)
                points.append((x, rng.randint(35, 125)))
            draw.line(points, fill=(22, 34, 74, 255), width=3, joint="curve")
            draw.line([(40, 138), (rng.randint(300, 440), 132)], fill=(22, 34, 74, 255),
                      width=2)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            self.signatures[name] = buffer.getvalue()
        return self.signatures[name]

    def _sheet(self, job: _Job, intervention: Intervention, lines, entries, expenses,
               category: str) -> list[dict]:
        """The sheet of a finished intervention: lines, hours, expenses. Returns the lines to
        bill."""
        rng = self.rng
        spec = self.specs[job.client]
        labour = QUALIFIED_LABOUR if category in ("clim", "ssi") else LABOUR
        items: list[tuple[Article, Decimal]] = [
            (self.articles[TRAVEL_ARTICLES[spec.zone]], Decimal(1)),
            (self.articles[labour], job.duration * len(job.technicians)),
        ]
        if job.kind == "preventive":
            if category == "clim":
                items.append((self.articles["Filtre G4 pour CTA 592x592"], Decimal(4)))
        else:
            for label in rng.sample(PARTS[category], rng.choice([0, 1, 1, 2])):
                items.append((self.articles[label], Decimal(rng.choice([1, 1, 2]))))
        billed = []
        for position, (article, quantity) in enumerate(items):
            lines.append(InterventionLine(
                intervention=intervention, position=position, article=article,
                label=article.label, quantity=quantity,
                unit_price_excl_tax=article.price_excl_tax,
            ))
            billed.append({"article": article, "label": article.label, "quantity": quantity,
                           "unit_price_excl_tax": article.price_excl_tax,
                           "vat_rate": article.vat_rate})
        for technician in job.technicians:
            entries.append(TimeEntry(intervention=intervention, technician=technician,
                                     kind=TimeEntryKind.TRAVEL, date=job.day,
                                     hours=TRAVEL_HOURS[spec.zone] * 2,
                                     comment="Trajet aller-retour"))
            entries.append(TimeEntry(intervention=intervention, technician=technician,
                                     kind=TimeEntryKind.WORK, date=job.day, hours=job.duration))
        lead = job.technicians[0]
        if spec.zone == 3:
            expenses.append(Expense(intervention=intervention, technician=lead,
                                    kind=ExpenseKind.FUEL, date=job.day,
                                    amount=_hours(rng.randint(4200, 6900) / 100),
                                    comment="Plein du véhicule de service"))
            expenses.append(Expense(intervention=intervention, technician=lead,
                                    kind=ExpenseKind.TOLL, date=job.day,
                                    amount=Decimal("12.40"), comment="A43 aller-retour"))
        if job.hour < 12 and job.duration >= 3 or rng.random() < 0.2:
            expenses.append(Expense(intervention=intervention, technician=lead,
                                    kind=ExpenseKind.MEAL, date=job.day,
                                    amount=_hours(rng.randint(1350, 1990) / 100),
                                    comment="Déjeuner"))
        if spec.code in ("CLINPARC", "BELLECOUR") and rng.random() < 0.5:
            expenses.append(Expense(intervention=intervention, technician=lead,
                                    kind=ExpenseKind.PARKING, date=job.day,
                                    amount=_hours(rng.randint(380, 1200) / 100),
                                    comment="Parking public"))
        return billed

    # -- invoices ------------------------------------------------------------------------------

    def _contract_invoices(self) -> None:
        earliest = self.days_ago(364)
        for (code, _key), contract in self.contracts.items():
            quarter = datetime.date(earliest.year, (earliest.month - 1) // 3 * 3 + 1, 1)
            while quarter <= self.today:
                quarter_end = _add_months(quarter, 3) - datetime.timedelta(days=1)
                day = _working_day_after(quarter + datetime.timedelta(days=4))
                if (contract.start_date <= quarter <= contract.end_date
                        and earliest <= day < self.today):
                    amount = (contract.annual_amount_excl_tax / 4).quantize(Decimal("0.01"))
                    self.invoices.append(_InvoiceSpec(day=day, client=code, lines=[{
                        "label": f"Contrat {contract.number} – {contract.title} : redevance "
                                 f"du {quarter:%d/%m/%Y} au {quarter_end:%d/%m/%Y}",
                        "quantity": Decimal(1), "unit_price_excl_tax": amount,
                        "vat_rate": Decimal("20.00"),
                    }]))
                quarter = _add_months(quarter, 3)

    def build_invoices(self) -> None:
        self._contract_invoices()
        # Numbers are gapless and chronological per year: issue in date order.
        specs = sorted(enumerate(self.invoices), key=lambda p: (p[1].day, p[0]))
        issued: list[tuple[Invoice, _InvoiceSpec]] = []
        for _index, spec in specs:
            invoice = invoice_create_draft(client_account=self.accounts[spec.client],
                                           lines=spec.lines, order=spec.order,
                                           intervention=spec.intervention)
            # History: each PDF is rendered on its first download, not now (fast seeding).
            invoice = invoice_issue(invoice=invoice, issue_date=spec.day, render_pdf=False)
            moment = self.past(self.at(spec.day, 9, 30))
            Invoice.objects.filter(pk=invoice.pk).update(created_at=moment, updated_at=moment)
            issued.append((invoice, spec))
            if spec.order is not None and spec.order.pk in self.invoiced_orders:
                # The delivered order is invoiced with it.
                order_mark_invoiced(order=spec.order)
                Order.objects.filter(pk=spec.order.pk).update(updated_at=moment)

        rng = self.rng
        unpaid: set[int] = set()
        for invoice, spec in issued:
            age = (self.today - spec.day).days
            chance = 0.96 if age > 75 else 0.75 if age > 30 else 0.15
            if rng.random() >= chance:
                unpaid.add(invoice.pk)
        # The story needs an overdue invoice at Dupond's, a recent one still to pay, and the
        # inactive client's last invoice unpaid (the reason its access was suspended).
        girard = [i for i, s in issued if s.client == "GIRARD"]
        if girard:
            unpaid.add(girard[-1].pk)
        dupond_late = [i for i, s in issued
                       if s.client == "DUPOND" and 31 < (self.today - s.day).days <= 120]
        if dupond_late:
            unpaid.add(dupond_late[-1].pk)
        recent = [i for i, s in issued if (self.today - s.day).days <= 30]
        if recent:
            unpaid.add(recent[-1].pk)
        for invoice, spec in issued:
            if invoice.pk in unpaid:
                continue
            paid = min(spec.day + datetime.timedelta(days=rng.randint(8, 45)), self.days_ago(1))
            if paid < spec.day:
                continue
            invoice_mark_paid(invoice=invoice, paid_at=paid)
        invoice_mark_overdue(today=self.today)

    # -- numbers and dates ---------------------------------------------------------------------

    def renumber(self) -> None:
        """The services number by the current year; history needs its own year's numbers, in
        chronological order."""
        self._renumber(Order, "order", "CO", "submitted_at", 6)
        self._renumber(Ticket, "ticket", "DI", "created_at", 6)
        renamed = self._renumber(Intervention, "intervention", "BI", "created_at", 6)
        # The requests' timelines name their intervention: by its final number.
        events = list(TicketEvent.objects.filter(message__contains="BI-"))
        for event in events:
            event.message = re.sub(r"BI-\d{4}-\d{6}",
                                   lambda m: renamed.get(m.group(0), m.group(0)), event.message)
        TicketEvent.objects.bulk_update(events, ["message"])

    def _renumber(self, model, sequence: str, prefix: str, date_field: str,
                  width: int) -> dict[str, str]:
        """Returns the new number of each old one."""
        objects = list(model.objects.filter(pk__in=self.seeded[sequence])
                       .order_by(date_field, "pk").only("pk", "number", date_field))
        previous = {obj.pk: obj.number for obj in objects}
        for obj in objects:
            obj.number = f"~{sequence}-{obj.pk}"
        model.objects.bulk_update(objects, ["number"])
        counters: dict[int, int] = {}
        current = self.today.year
        for obj in objects:
            year = timezone.localtime(getattr(obj, date_field)).year
            counters.setdefault(year, self.sequence_base.get((sequence, year), 0))
            counters[year] += 1
            obj.number = f"{prefix}-{year}-{counters[year]:0{width}d}"
        model.objects.bulk_update(objects, ["number"])
        counters.setdefault(current, self.sequence_base.get((sequence, current), 0))
        for year, last in counters.items():
            NumberSequence.objects.update_or_create(name=sequence, year=year,
                                                    defaults={"last_value": last})
        return {previous[obj.pk]: obj.number for obj in objects}

    def spread_creation_dates(self) -> None:
        rng = self.rng
        long_ago = self.at(self.days_ago(3 * 365), 9)
        ArticleFamily.objects.update(created_at=long_ago, updated_at=long_ago)
        Article.objects.update(created_at=long_ago, updated_at=long_ago)
        for code, account in self.accounts.items():
            since = self.at(self.days_ago(rng.randint(500, 2500)), 10)
            ClientAccount.objects.filter(pk=account.pk).update(created_at=since, updated_at=since)
            for model in (Site, Contact):
                model.objects.filter(client_account=account).update(created_at=since,
                                                                    updated_at=since)
            joined = self.at(self.days_ago(400), 9)
            PortalProfile.objects.filter(client_account=account).update(created_at=joined,
                                                                        updated_at=joined)
            for equipment in self.equipment[code]:
                moment = max(self.at(equipment.install_date, 12), since)
                Equipment.objects.filter(pk=equipment.pk).update(created_at=moment,
                                                                 updated_at=moment)
        for contract in self.contracts.values():
            moment = self.at(contract.start_date - datetime.timedelta(days=15), 11)
            Contract.objects.filter(pk=contract.pk).update(created_at=moment, updated_at=moment)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

# The models whose objects the services save one by one (Wagtail indexes each save).
_SAVED_BY_SERVICES = (ClientAccount, Site, Contact, PortalProfile, TechnicianProfile,
                      ArticleFamily, Contract, Equipment, Order, Ticket, Intervention, Invoice)


def _reference_index_update() -> None:
    for model in _SAVED_BY_SERVICES:
        if ReferenceIndex.is_indexed(model):
            for obj in model.objects.order_by("pk").iterator():
                ReferenceIndex.create_or_update_for_object(obj)


def demo_exists() -> bool:
    return ClientAccount.objects.filter(code=MARKER_CLIENT_CODE).exists()


class DemoConflictError(Exception):
    """The database holds some demo logins but not the demo data: seeding would clash."""


def seed_demo(*, log: Log | None = None) -> bool:
    """Create the demo data unless it is there already. Returns True when it created it."""
    log = log or (lambda message: None)
    if demo_exists():
        log("Les données de démonstration sont déjà en place : rien n'a été modifié.")
        return False
    taken = sorted(User.objects.filter(email__in=[s[2] for s in _login_specs()])
                   .values_list("email", flat=True))
    if taken:
        raise DemoConflictError(
            "Ces adresses existent déjà sans les données de démonstration : "
            + ", ".join(taken) + ". Utilisez une base vide (ou supprimez ces comptes)."
        )
    from cms.services import portal_content_ensure, portal_translations_ensure

    started = time.monotonic()
    # The demo's orders go through order_submit, which e-mails the staff and the buyer once
    # the transaction commits: keep those e-mails out of the console.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
            transaction.atomic():
        if demo_exists():  # created meanwhile by a concurrent run
            return False
        log("Création des données de démonstration…")
        # Wagtail indexes every save's references; re-indexing each object at every state
        # change would double the run time. The index is rebuilt once, at the end.
        with disable_reference_index_auto_update():
            _DemoBuilder(log).build()
        started_index = time.monotonic()
        _reference_index_update()
        log(f"  Index des références Wagtail : {time.monotonic() - started_index:.1f} s")
        portal_content_ensure()
        # Every page, menu entry and procedure category also in English.
        portal_translations_ensure()
    log(f"Données de démonstration créées en {time.monotonic() - started:.1f} s.")
    return True


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str
    landing: str


def _login_specs() -> list[tuple[str, str, str]]:
    specs = [*(spec for spec, _ in BACK_OFFICE), *(t[0] for t in TECHNICIANS)]
    rows = [(s.login_role, f"{s.first_name} {s.last_name}", s.email) for s in specs]
    for client in CLIENTS:
        rows += [(u.login_role, f"{u.first_name} {u.last_name}", u.email) for u in client.users]
    return rows


def demo_logins() -> list[DemoLogin]:
    """The demo logins, with where each lands after logging in (asked to the application)."""
    from portal_api.accounts.rules import portal_profile_of
    from portal_api.accounts.views import landing_url_for

    specs = _login_specs()
    users = {u.email: u for u in User.objects.filter(email__in=[s[2] for s in specs])
             .select_related("portal_profile__client_account", "technician_profile")}
    logins = []
    for role, name, email in specs:
        user = users.get(email)
        if user is None:
            landing = "(absent de cette base)"
        elif not user.is_active:
            landing = "connexion refusée (compte désactivé)"
        elif not user.is_staff and portal_profile_of(user) is None:
            landing = "connexion refusée (société inactive)"
        else:
            landing = landing_url_for(user)
        logins.append(DemoLogin(role, name, email, DEMO_PASSWORD, landing))
    return logins


def format_logins(logins: list[DemoLogin]) -> str:
    header = ("Rôle", "Nom", "E-mail", "Mot de passe", "Après connexion")
    rows = [header] + [(x.role, x.name, x.email, x.password, x.landing) for x in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]

    def line(row) -> str:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * width for width in widths)
    return "\n".join([
        "",
        "Identifiants de démonstration",
        f"Page de connexion : {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/connexion/",
        "",
        line(header),
        rule,
        *(line(row) for row in rows[1:]),
        "",
    ])
