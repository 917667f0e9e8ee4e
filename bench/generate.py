"""Scale data for the benchmarks, on PostgreSQL, with COPY.

    createdb -h 127.0.0.1 -U postgres atelier_bench
    DJANGO_SETTINGS_MODULE=config.settings.dev \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/generate.py --scale full

It migrates first, then fills one table group after the other (one function each, listed in
STEPS), each in its own transaction with psycopg 3 `cursor.copy()`, and prints how long each took.

Deterministic: every random draw comes from `random.Random(seed)`, and every date is relative
to the anchor date (today by default, `--anchor-date` to pin it): the same seed and anchor give
the same rows, ids included (the bench tables are empty when it starts: `--reset` empties them,
and it refuses to on a database whose name does not contain "bench").

What it builds (full scale):
- 1,000 client accounts with 1 to 4 sites and a portal user each; the first one, BENCH-0001
  ("the big account"), has 5 users and exactly 50,000 orders (the export benchmark exports
  them all); its first user, bench.user@bench.example, has every portal right;
- 200 article families (5 % hidden from clients), 20,000 articles (5 % hidden, 2 % inactive);
- 200,000 orders with 1,000,000 lines, in every status, numbered CO-YYYY-NNNNNN in the order
  they were placed, per year; prices and VAT frozen on placed orders; totals from the lines;
- 100,000 invoices, one per invoiced order, with the order's lines, numbered FA-YYYY-NNNNN in
  issue order per year (year and sequence set), issued / paid / overdue consistently with their
  due date and the anchor date;
- 30 technicians (staff users with a technician profile): bench.tech@bench.example sees only
  his own interventions, bench.tech.all@bench.example all of them;
- 1,500 maintenance contracts; 50,000 equipment (2,000 for the big account), serial numbers
  unique per company, warranty after installation, 60 % under a contract of their company;
- 200,000 interventions (exactly 50,000 for the big account: the export benchmark exports
  them all), numbered BI-YYYY-NNNNNN, planned over the history and the next 60 days, in every
  status consistent with the anchor date (done and closed ones signed, times in order, meter
  readings recorded), with 1 or 2 technicians, about 510,000 lines and 330,000 time entries;
- 50,000 tickets (intervention requests), numbered DI-YYYY-NNNNNN, 60 % turned into an
  intervention whose status they follow, each with its timeline (TicketEvent);
- NumberSequence rows (order, invoice, intervention, ticket) per year at the last number used.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCALES = {
    "full": dict(accounts=1000, families=200, articles=20_000, orders=200_000,
                 lines=1_000_000, invoices=100_000, big_account_orders=50_000,
                 technicians=30, contracts=1_500, equipment=50_000, big_account_equipment=2_000,
                 interventions=200_000, big_account_interventions=50_000, tickets=50_000),
    "small": dict(accounts=50, families=20, articles=2_000, orders=10_000,
                  lines=50_000, invoices=5_000, big_account_orders=2_500,
                  technicians=6, contracts=75, equipment=2_500, big_account_equipment=100,
                  interventions=10_000, big_account_interventions=2_500, tickets=2_500),
}
SEED = 20260401
BENCH_PASSWORD = "Atelier-demo-2026"
BIG_ACCOUNT_CODE = "BENCH-0001"
BENCH_USER_EMAIL = "bench.user@bench.example"
# The technicians' benchmark acts as the first (limited to his own interventions, as most
# technicians are); the second sees every intervention.
BENCH_TECH_EMAIL = "bench.tech@bench.example"
BENCH_TECH_ALL_EMAIL = "bench.tech.all@bench.example"
HISTORY_DAYS = 3 * 365

UTC = datetime.UTC


# --------------------------------------------------------------------------- COPY helper


class Copier:
    """COPY rows into a model's table. `fields` are the model field names (or attnames) the
    rows give, in order; every other concrete field gets its default (or NULL), so a field added
    later with a default does not break the generator."""

    def __init__(self, model, fields: list[str]):
        meta = model._meta
        self.table = meta.db_table
        given = [meta.get_field(name) for name in fields]  # attnames resolve too
        self.columns = [f.column for f in given]
        self.constants: tuple = ()
        extra_cols, extra_vals = [], []
        given_names = {f.name for f in given}
        for f in meta.concrete_fields:
            if f.name in given_names:
                continue
            if f.has_default():
                extra_cols.append(f.column)
                extra_vals.append(f.get_db_prep_save(f.get_default(), connection=_conn()))
            elif f.null:
                continue
            else:
                raise ValueError(f"{model.__name__}.{f.name} needs a value in the generator")
        self.columns += extra_cols
        self.constants = tuple(extra_vals)

    def copy(self, rows: Iterable[tuple]) -> int:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        count = 0
        constants = self.constants
        with _conn().cursor() as cursor, \
                cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
            write = copy.write_row
            if constants:
                for row in rows:
                    write(row + constants)
                    count += 1
            else:
                for row in rows:
                    write(row)
                    count += 1
        return count


def _conn():
    from django.db import connection

    return connection


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def vat_cents(base_cents: int, rate_hundredths: int) -> int:
    """VAT on a base, rounded half up to the cent (rate in hundredths of a percent)."""
    return (base_cents * rate_hundredths + 5000) // 10000


# --------------------------------------------------------------------------- context


@dataclass
class Context:
    scale: dict
    rng: random.Random
    anchor: datetime.date
    now: datetime.datetime
    password_hash: str
    # Filled by the steps, read by the following ones.
    accounts: list[int] = field(default_factory=list)
    sites_by_account: dict[int, list[int]] = field(default_factory=dict)
    users_by_account: dict[int, list[int]] = field(default_factory=dict)
    articles: list[tuple[int, str, int, int]] = field(default_factory=list)  # id,label,cents,vat
    visible_articles: list[int] = field(default_factory=list)  # indexes into articles
    invoiced_orders: list[tuple] = field(default_factory=list)
    order_numbers: dict[int, int] = field(default_factory=dict)  # year -> last
    invoice_numbers: dict[int, int] = field(default_factory=dict)
    technicians: list[int] = field(default_factory=list)  # user ids
    contracts_by_account: dict[int, list[int]] = field(default_factory=dict)
    # id -> (account, site, contract id or None, warranty_end or None, meter rate or None)
    equipment: dict[int, tuple] = field(default_factory=dict)
    equipment_by_account: dict[int, list[int]] = field(default_factory=dict)
    # What the tickets step needs of the interventions it converts (see gen_interventions).
    converted: list[tuple] = field(default_factory=list)
    intervention_numbers: dict[int, int] = field(default_factory=dict)
    ticket_numbers: dict[int, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- steps

FIRST_NAMES = ["Camille", "Louis", "Emma", "Hugo", "Léa", "Jules", "Chloé", "Paul", "Manon",
               "Lucas", "Inès", "Arthur", "Sarah", "Nathan", "Julie", "Thomas"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux"]
CITIES = [("Lyon", "69003"), ("Villeurbanne", "69100"), ("Grenoble", "38000"),
          ("Saint-Étienne", "42000"), ("Annecy", "74000"), ("Valence", "26000"),
          ("Chambéry", "73000"), ("Bourg-en-Bresse", "01000"), ("Mâcon", "71000")]
COMPANY_WORDS = ["Industrie", "Mécanique", "Logistique", "Agro", "Plasturgie", "Textile",
                 "Hôtellerie", "Santé", "Bâtiment", "Énergie", "Transports", "Services"]


def gen_accounts(ctx: Context) -> None:
    """Client accounts, their sites, one portal user each (five for the big account)."""
    from portal_api.accounts.models import (
        PORTAL_RIGHTS,
        ROLE_PRESETS,
        ClientAccount,
        PortalProfile,
        PortalRole,
        Site,
        User,
    )

    rng, now = ctx.rng, ctx.now
    n = ctx.scale["accounts"]
    accounts, sites, users, profiles = [], [], [], []
    site_id = user_id = 0
    rights = list(PORTAL_RIGHTS)
    buyer = ROLE_PRESETS[PortalRole.BUYER]
    for i in range(1, n + 1):
        city, postal = rng.choice(CITIES)
        name = f"{rng.choice(LAST_NAMES)} {rng.choice(COMPANY_WORDS)} {i:04d}"
        siret = f"{rng.randrange(10**13, 10**14):014d}"
        accounts.append((i, f"BENCH-{i:04d}", name, siret, f"FR{rng.randrange(10**10, 10**11)}",
                         f"contact@client{i:04d}.example", "04 72 00 00 00",
                         i % 97 != 0,  # about 1 % inactive
                         f"{rng.randrange(1, 200)} rue de l'Industrie", postal, city, "FR",
                         now, now))
        ctx.accounts.append(i)
        ctx.sites_by_account[i] = []
        for s in range(rng.randint(1, 4)):
            site_id += 1
            scity, spostal = rng.choice(CITIES)
            sites.append((site_id, i, f"Site {s + 1} – {scity}", True,
                          f"{rng.randrange(1, 300)} avenue des Ateliers", spostal, scity, "FR",
                          now, now))
            ctx.sites_by_account[i].append(site_id)
        ctx.users_by_account[i] = []
        for u in range(5 if i == 1 else 1):
            user_id += 1
            email = (BENCH_USER_EMAIL if user_id == 1
                     else f"user{user_id:05d}@client{i:04d}.example")
            users.append((user_id, email, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), "",
                          False, True, False, ctx.password_hash, now))
            manager = i == 1 and u == 0
            granted = set(rights) if manager else buyer
            profiles.append((user_id, user_id, i,
                             PortalRole.MANAGER if manager else PortalRole.BUYER,
                             *[r in granted for r in rights], now, now))
            ctx.users_by_account[i].append(user_id)

    ctx.counts["client accounts"] = Copier(ClientAccount, [
        "id", "code", "name", "siret", "vat_number", "email", "phone", "active", "address",
        "postal_code", "city", "country", "created_at", "updated_at"]).copy(accounts)
    ctx.counts["sites"] = Copier(Site, [
        "id", "client_account_id", "name", "active", "address", "postal_code", "city",
        "country", "created_at", "updated_at"]).copy(sites)
    ctx.counts["users"] = Copier(User, [
        "id", "email", "first_name", "last_name", "phone", "is_staff", "is_active",
        "is_superuser", "password", "date_joined"]).copy(users)
    ctx.counts["portal profiles"] = Copier(PortalProfile, [
        "id", "user_id", "client_account_id", "role", *rights, "created_at",
        "updated_at"]).copy(profiles)


ARTICLE_NOUNS = ["Vanne", "Raccord", "Joint", "Roulement", "Courroie", "Filtre", "Capteur",
                 "Moteur", "Pompe", "Disjoncteur", "Câble", "Tuyau", "Vis", "Écrou", "Manomètre",
                 "Thermostat", "Relais", "Contacteur", "Ventilateur", "Compresseur"]
ARTICLE_QUALIFIERS = ["à bille", "coudé", "torique", "à rouleaux", "crantée", "à charbon",
                      "de pression", "triphasé", "centrifuge", "différentiel", "souple",
                      "inox", "laiton", "galvanisé", "étanche", "haute température"]
ARTICLE_SIZES = ["DN15", "DN20", "DN25", "DN32", "DN40", "M6", "M8", "M10", "M12", "1/2\"",
                 "3/4\"", "1\"", "2,5 mm²", "4 mm²", "0,75 kW", "1,5 kW", "3 kW", "230 V",
                 "400 V", "12 V"]
VAT_RATES = [(2000, "20.00")] * 18 + [(1000, "10.00"), (550, "5.50")]


def gen_catalog(ctx: Context) -> None:
    """Families (some hidden from clients) and articles (some hidden, some inactive)."""
    from portal_api.catalog.models import Article, ArticleFamily, ArticleKind, Unit

    rng, now = ctx.rng, ctx.now
    nf = ctx.scale["families"]
    families = []
    hidden_families = set()
    for i in range(1, nf + 1):
        visible = rng.random() >= 0.05
        if not visible:
            hidden_families.add(i)
        noun = ARTICLE_NOUNS[(i - 1) % len(ARTICLE_NOUNS)]
        families.append((i, f"FAM{i:04d}", f"{noun}s – gamme {i:03d}", i, visible, True,
                         now, now))
    ctx.counts["article families"] = Copier(ArticleFamily, [
        "id", "code", "name", "position", "visible_to_clients", "visible_to_technicians",
        "created_at", "updated_at"]).copy(families)

    rows = []
    for i in range(1, ctx.scale["articles"] + 1):
        family = rng.randint(1, nf)
        noun = ARTICLE_NOUNS[(family - 1) % len(ARTICLE_NOUNS)]
        label = f"{noun} {rng.choice(ARTICLE_QUALIFIERS)} {rng.choice(ARTICLE_SIZES)}"
        cents = rng.randrange(50, 250_000)
        vat, vat_text = rng.choice(VAT_RATES)
        visible = rng.random() >= 0.05
        active = rng.random() >= 0.02
        on_hand = rng.choice([0, 0, 2, 5, 10, 25, 50, 100, 250, 1000])
        reserved = min(on_hand, rng.choice([0, 0, 0, 1, 2, 5]))
        rows.append((i, family, f"ART-{i:06d}", label, "", ArticleKind.PRODUCT, Unit.PIECE,
                     money(cents), vat_text, on_hand, reserved, True, visible, True, active,
                     now, now))
        ctx.articles.append((i, label, cents, vat))
        if visible and active and family not in hidden_families:
            ctx.visible_articles.append(i - 1)
    ctx.counts["articles"] = Copier(Article, [
        "id", "family_id", "reference", "label", "description", "kind", "unit",
        "price_excl_tax", "vat_rate", "stock_on_hand", "stock_reserved", "track_stock",
        "visible_to_clients", "visible_to_technicians", "active", "created_at",
        "updated_at"]).copy(rows)


def _order_accounts(ctx: Context) -> list[int]:
    """Which account each order belongs to: the big account has exactly its share, the others
    a skewed one (a few large customers, many small ones)."""
    rng = ctx.rng
    total, big = ctx.scale["orders"], ctx.scale["big_account_orders"]
    others = ctx.accounts[1:]
    weights = [rng.paretovariate(1.2) for _ in others]
    owners = [ctx.accounts[0]] * big + rng.choices(others, weights=weights, k=total - big)
    rng.shuffle(owners)
    return owners


def gen_orders(ctx: Context) -> None:
    """Orders in every status with their lines; numbers per year in placement order."""
    from portal_api.orders.models import Order, OrderLine, OrderStatus

    rng, anchor_dt = ctx.rng, ctx.now
    n_orders, n_lines, n_invoices = (ctx.scale["orders"], ctx.scale["lines"],
                                     ctx.scale["invoices"])
    owners = _order_accounts(ctx)
    horizon = HISTORY_DAYS * 86400
    # Creation times, oldest first: ids then follow time, as in production.
    ages = sorted((rng.randrange(3600, horizon) for _ in range(n_orders)), reverse=True)
    # Exactly n_invoices orders are invoiced, drawn among those older than 30 days.
    old = [k for k, age in enumerate(ages) if age > 30 * 86400]
    invoiced = set(rng.sample(old, n_invoices))
    # Lines per order: 1..9 around the mean, adjusted so the total is exact.
    mean = n_lines / n_orders
    counts = [max(1, min(9, round(rng.triangular(1, 2 * mean - 1, mean))))
              for _ in range(n_orders)]
    diff = n_lines - sum(counts)
    k = 0
    while diff:
        step = 1 if diff > 0 else -1
        if 1 <= counts[k % n_orders] + step <= 9:
            counts[k % n_orders] += step
            diff -= step
        k += 1

    visible = ctx.visible_articles
    articles = ctx.articles
    orders, lines = [], []
    line_id = 0
    numbers: dict[int, int] = {}
    for idx in range(n_orders):
        order_id = idx + 1
        account = owners[idx]
        age = ages[idx]
        created = anchor_dt - datetime.timedelta(seconds=age)
        users = ctx.users_by_account[account]
        preparer = rng.choice(users)
        if idx in invoiced:
            status = OrderStatus.INVOICED
        elif age > 30 * 86400:
            status = rng.choices([OrderStatus.DELIVERED, OrderStatus.CANCELLED], [3, 1])[0]
        else:
            status = rng.choices(
                [OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.CONFIRMED,
                 OrderStatus.DELIVERED, OrderStatus.CANCELLED], [3, 3, 3, 4, 1])[0]
        placed = status != OrderStatus.DRAFT
        submitted_at = confirmed_at = delivered_at = cancelled_at = None
        number = submitter = None
        if placed:
            submitted_at = created + datetime.timedelta(minutes=rng.randrange(5, 600))
            submitted_at = min(submitted_at, anchor_dt)
            year = submitted_at.astimezone(LOCAL_TZ).year
            numbers[year] = numbers.get(year, 0) + 1
            number = f"CO-{year}-{numbers[year]:06d}"
            submitter = rng.choice(users)
            later = min(age, 30 * 86400)
            if status in (OrderStatus.CONFIRMED, OrderStatus.DELIVERED, OrderStatus.INVOICED):
                confirmed_at = submitted_at + datetime.timedelta(seconds=later // 10)
            if status in (OrderStatus.DELIVERED, OrderStatus.INVOICED):
                delivered_at = submitted_at + datetime.timedelta(seconds=later // 2)
            if status == OrderStatus.CANCELLED:
                cancelled_at = submitted_at + datetime.timedelta(seconds=later // 20)
        base_by_rate: dict[int, int] = {}
        order_lines = []
        for position in range(counts[idx]):
            a_id, label, cents, vat = articles[visible[rng.randrange(len(visible))]]
            qty = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 10, 20))
            line_id += 1
            amount = qty * cents
            base_by_rate[vat] = base_by_rate.get(vat, 0) + amount
            lines.append((line_id, order_id, position, a_id, label, qty,
                          money(cents) if placed else None,
                          VAT_TEXT[vat] if placed else None))
            if status == OrderStatus.INVOICED:
                order_lines.append((a_id, label, qty, cents, vat))
        excl = sum(base_by_rate.values())
        vat_total = sum(vat_cents(b, r) for r, b in base_by_rate.items())
        if not placed:
            excl = vat_total = 0  # a draft's totals are computed when it is placed
        site = rng.choice(ctx.sites_by_account[account])
        ref = f"PO-{rng.randrange(10**5, 10**6)}" if rng.random() < 0.6 else ""
        orders.append((order_id, number, account, status, preparer, submitter, submitted_at,
                       confirmed_at, delivered_at, cancelled_at, ref, site, "",
                       money(excl), money(vat_total), money(excl + vat_total), created,
                       delivered_at or confirmed_at or submitted_at or created))
        if status == OrderStatus.INVOICED:
            ctx.invoiced_orders.append((order_id, account, delivered_at, order_lines,
                                        excl, vat_total))
    ctx.order_numbers = numbers
    ctx.counts["orders"] = Copier(Order, [
        "id", "number", "client_account_id", "status", "prepared_by_id", "submitted_by_id",
        "submitted_at", "confirmed_at", "delivered_at", "cancelled_at", "customer_reference",
        "delivery_site_id", "comment", "total_excl_tax", "total_vat", "total_incl_tax",
        "created_at", "updated_at"]).copy(orders)
    del orders
    ctx.counts["order lines"] = Copier(OrderLine, [
        "id", "order_id", "position", "article_id", "label", "quantity",
        "unit_price_excl_tax", "vat_rate"]).copy(lines)


def gen_invoices(ctx: Context) -> None:
    """One invoice per invoiced order, with its lines; numbered per year in issue order."""
    from portal_api.billing.models import Invoice, InvoiceLine, InvoiceStatus

    rng, anchor = ctx.rng, ctx.anchor
    drafts = []
    for order_id, account, delivered_at, order_lines, excl, vat in ctx.invoiced_orders:
        issue = min(delivered_at.astimezone(LOCAL_TZ).date()
                    + datetime.timedelta(days=rng.randrange(0, 8)), anchor)
        drafts.append((issue, order_id, account, order_lines, excl, vat))
    drafts.sort(key=lambda d: (d[0], d[1]))
    invoices, lines = [], []
    numbers: dict[int, int] = {}
    line_id = 0
    for idx, (issue, order_id, account, order_lines, excl, vat) in enumerate(drafts):
        invoice_id = idx + 1
        numbers[issue.year] = seq = numbers.get(issue.year, 0) + 1
        due = issue + datetime.timedelta(days=30)
        paid_at = None
        if due >= anchor:
            status = InvoiceStatus.PAID if rng.random() < 0.3 else InvoiceStatus.ISSUED
        else:
            status = InvoiceStatus.PAID if rng.random() < 0.9 else InvoiceStatus.OVERDUE
        if status == InvoiceStatus.PAID:
            latest = min((due - issue).days + 20, (anchor - issue).days)
            paid_at = issue + datetime.timedelta(days=rng.randint(0, max(0, latest)))
        stamp = datetime.datetime.combine(issue, datetime.time(9), tzinfo=LOCAL_TZ)
        invoices.append((invoice_id, account, f"FA-{issue.year}-{seq:05d}", issue.year, seq,
                         status, order_id, issue, due, paid_at, money(excl), money(vat),
                         money(excl + vat), stamp, stamp))
        for position, (a_id, label, qty, cents, rate) in enumerate(order_lines):
            line_id += 1
            lines.append((line_id, invoice_id, position, a_id, label, qty, money(cents),
                          VAT_TEXT[rate], money(qty * cents)))
    ctx.invoice_numbers = numbers
    ctx.invoiced_orders = []
    ctx.counts["invoices"] = Copier(Invoice, [
        "id", "client_account_id", "number", "year", "sequence", "status", "order_id",
        "issue_date", "due_date", "paid_at", "total_excl_tax", "total_vat", "total_incl_tax",
        "created_at", "updated_at"]).copy(invoices)
    ctx.counts["invoice lines"] = Copier(InvoiceLine, [
        "id", "invoice_id", "position", "article_id", "label", "quantity",
        "unit_price_excl_tax", "vat_rate", "total_excl_tax"]).copy(lines)


# --------------------------------------------------------------------------- service (issue 5)

TECH_COLORS = ["#1f6feb", "#d29922", "#2da44e", "#cf222e", "#8250df", "#0598bc", "#bf3989"]
CONTRACT_KINDS = ["chauffage", "climatisation", "compresseurs", "multi-technique",
                  "froid industriel", "traitement d'air", "groupes électrogènes"]
EQUIPMENT_TYPES = [
    ("Chaudière gaz", ["Viessmann", "De Dietrich", "Atlantic"],
     ["Vitodens 200", "MCR3", "Naema 2"]),
    ("Pompe à chaleur", ["Daikin", "Mitsubishi", "Atlantic"], ["Altherma 3", "Ecodan", "Alfea"]),
    ("Compresseur d'air", ["Atlas Copco", "Kaeser", "Ingersoll Rand"],
     ["GA 30", "SK 22", "R 15"]),
    ("Groupe froid", ["Carrier", "Trane", "Climaveneta"], ["30RB", "CGAM", "NECS"]),
    ("Centrale de traitement d'air", ["France Air", "Wesper", "Systemair"],
     ["CTA 4000", "Topvex"]),
    ("Groupe électrogène", ["SDMO", "Cummins"], ["J88K", "C110 D5"]),
    ("Surpresseur", ["Grundfos", "Wilo"], ["Hydro Multi-E", "SiBoost"]),
]
INTERVENTION_MOTIFS = [
    "Entretien annuel", "Panne : plus de chauffage", "Fuite constatée sous l'appareil",
    "Bruit anormal au démarrage", "Mise en sécurité répétée", "Visite de contrôle",
    "Remplacement d'une pièce d'usure", "Alarme pression basse", "Mise en service",
    "Contrôle réglementaire", "Température insuffisante", "Code défaut affiché",
]
WORK_DONE = [
    "Nettoyage, contrôle des organes de sécurité, réglage de la combustion.",
    "Remplacement du joint défectueux, essai d'étanchéité concluant.",
    "Diagnostic carte électronique, remplacement du capteur, essais OK.",
    "Vidange, remplacement des filtres, contrôle des pressions.",
    "Resserrage des raccords, purge du circuit, remise en pression.",
    "Contrôle complet, aucune anomalie relevée.",
]
TICKET_TEXTS = [
    "L'appareil s'arrête plusieurs fois par jour.", "Plus d'eau chaude depuis ce matin.",
    "Un bruit métallique au démarrage.", "Fuite d'eau sous l'équipement.",
    "Demande de visite d'entretien.", "Code erreur E{code} affiché.",
    "Température trop basse dans l'atelier.", "Odeur de brûlé près du moteur.",
]
METER_EPOCH = datetime.date(2015, 1, 1)


def _skewed_owners(ctx: Context, total: int, big: int) -> list[int]:
    """Which account each row belongs to: the big account exactly `big`, the others a skewed
    share (a few large customers, many small ones), shuffled."""
    rng = ctx.rng
    others = ctx.accounts[1:]
    weights = [rng.paretovariate(1.2) for _ in others]
    owners = [ctx.accounts[0]] * big + rng.choices(others, weights=weights, k=total - big)
    rng.shuffle(owners)
    return owners


def gen_technicians(ctx: Context) -> None:
    """Staff users with a technician profile: the first one sees only his own interventions,
    the second every intervention, and one in three of the others too."""
    from portal_api.accounts.models import TechnicianProfile, User

    rng, now = ctx.rng, ctx.now
    first_id = max(u for users in ctx.users_by_account.values() for u in users) + 1
    users, profiles = [], []
    for k in range(ctx.scale["technicians"]):
        user_id = first_id + k
        email = (BENCH_TECH_EMAIL if k == 0 else BENCH_TECH_ALL_EMAIL if k == 1
                 else f"tech{k + 1:03d}@bench.example")
        users.append((user_id, email, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES),
                      "06 00 00 00 00", True, True, False, ctx.password_hash, now))
        sees_all = k == 1 or (k > 1 and k % 3 == 0)
        profiles.append((k + 1, user_id, True, sees_all, True,
                         TECH_COLORS[k % len(TECH_COLORS)], now, now))
        ctx.technicians.append(user_id)
    ctx.counts["technicians"] = Copier(User, [
        "id", "email", "first_name", "last_name", "phone", "is_staff", "is_active",
        "is_superuser", "password", "date_joined"]).copy(users)
    Copier(TechnicianProfile, [
        "id", "user_id", "active", "can_see_all_interventions", "can_create_interventions",
        "color", "created_at", "updated_at"]).copy(profiles)


def gen_equipment(ctx: Context) -> None:
    """Maintenance contracts, and the installed base: serial numbers unique per company,
    warranty ending after the installation, some under one of the company's contracts."""
    from portal_api.billing.models import Contract
    from portal_api.service.models import Equipment

    rng, anchor, now = ctx.rng, ctx.anchor, ctx.now
    n_contracts = ctx.scale["contracts"]
    owners = sorted([ctx.accounts[0]] * 5 + rng.choices(ctx.accounts[1:], k=n_contracts - 5))
    contracts = []
    for contract_id, account in enumerate(owners, 1):
        start = anchor - datetime.timedelta(days=rng.randrange(30, 6 * 365))
        end = start + datetime.timedelta(days=365 * rng.choice((1, 2, 3, 5)) - 1)
        contracts.append((contract_id, account, f"CT-{contract_id:05d}",
                          f"Contrat de maintenance {rng.choice(CONTRACT_KINDS)}", start, end,
                          money(rng.randrange(50_000, 2_000_000)), rng.choice((1, 2, 4, 12)),
                          end >= anchor, now, now))
        ctx.contracts_by_account.setdefault(account, []).append(contract_id)
    ctx.counts["contracts"] = Copier(Contract, [
        "id", "client_account_id", "number", "title", "start_date", "end_date",
        "annual_amount_excl_tax", "visits_per_year", "active", "created_at",
        "updated_at"]).copy(contracts)

    owners = sorted(_skewed_owners(ctx, ctx.scale["equipment"],
                                   ctx.scale["big_account_equipment"]))
    rows = []
    per_account: dict[int, int] = {}
    for equipment_id, account in enumerate(owners, 1):
        n = per_account[account] = per_account.get(account, 0) + 1
        label, brands, models = rng.choice(EQUIPMENT_TYPES)
        install = anchor - datetime.timedelta(days=rng.randrange(30, 12 * 365))
        warranty = (install + datetime.timedelta(days=365 * rng.choice((1, 2, 2, 5)))
                    if rng.random() < 0.9 else None)
        account_contracts = ctx.contracts_by_account.get(account)
        contract = (rng.choice(account_contracts)
                    if account_contracts and rng.random() < 0.6 else None)
        site = rng.choice(ctx.sites_by_account[account])
        meter_rate = rng.randrange(1, 40) if rng.random() < 0.5 else None  # units a day
        rows.append((equipment_id, account, site, f"SN-{account:04d}-{n:05d}", label,
                     rng.choice(brands), rng.choice(models), install, warranty, contract,
                     rng.random() >= 0.03, now, now))
        ctx.equipment[equipment_id] = (account, site, contract, warranty, install, meter_rate)
        ctx.equipment_by_account.setdefault(account, []).append(equipment_id)
    ctx.counts["equipment"] = Copier(Equipment, [
        "id", "client_account_id", "site_id", "serial_number", "label", "brand", "model",
        "install_date", "warranty_end", "contract_id", "active", "created_at",
        "updated_at"]).copy(rows)


def gen_interventions(ctx: Context) -> None:
    """Interventions over the history and the next 60 days, numbered BI-YYYY-NNNNNN in
    creation order per year: the past ones mostly done and signed (times in order, meter
    reading recorded), some closed or cancelled; today's planned, in progress or done; the
    coming ones planned; 2 % still to plan. With their technicians, lines (articles at their
    price) and time entries; 60 % of the tickets' count come from a request (gen_tickets)."""
    from portal_api.service.models import (
        Intervention,
        InterventionLine,
        MeterReading,
        TimeEntry,
        TimeEntryKind,
    )
    from portal_api.service.models import InterventionStatus as IS

    rng, anchor, now = ctx.rng, ctx.anchor, ctx.now
    owners = _skewed_owners(ctx, ctx.scale["interventions"],
                            ctx.scale["big_account_interventions"])
    techs = ctx.technicians
    td = datetime.timedelta
    records = []
    for account in owners:
        if rng.random() < 0.02:
            planned = None
            created = now - td(seconds=rng.randrange(600, 20 * 86400))
            status = IS.TO_PLAN
        else:
            day = anchor + td(days=rng.randrange(-HISTORY_DAYS, 61))
            planned = (datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=LOCAL_TZ)
                       + td(minutes=15 * rng.randrange(0, 38)))
            created = min(planned - td(days=rng.randrange(0, 30), minutes=rng.randrange(0, 600)),
                          now - td(minutes=rng.randrange(5, 600)))
            if day > anchor:
                status = IS.PLANNED
            elif day == anchor:
                status = rng.choices([IS.PLANNED, IS.IN_PROGRESS, IS.DONE], [2, 1, 2])[0]
            else:
                status = rng.choices([IS.DONE, IS.CLOSED, IS.CANCELLED, IS.IN_PROGRESS],
                                     [70, 22, 7, 1])[0]
        equipment = warranty = rate = None
        account_equipment = ctx.equipment_by_account.get(account)
        if account_equipment and rng.random() < 0.75:
            equipment = rng.choice(account_equipment)
            _, site, contract, warranty, install, rate = ctx.equipment[equipment]
            if planned is not None and install > planned.date():
                equipment = warranty = rate = contract = None  # not installed yet
                site = rng.choice(ctx.sites_by_account[account])
        else:
            site, contract = rng.choice(ctx.sites_by_account[account]), None
        if contract is None:
            account_contracts = ctx.contracts_by_account.get(account)
            if account_contracts and rng.random() < 0.15:
                contract = rng.choice(account_contracts)
        if status == IS.TO_PLAN and rng.random() < 0.5:
            people = ()
        else:
            people = tuple(rng.sample(techs, 2 if rng.random() < 0.25 else 1))
        records.append((created, account, site, equipment, contract, status, planned, warranty,
                        rate, people))
    records.sort(key=lambda r: r[0])  # ids and numbers follow creation, as in production

    rows, technicians, lines, times, readings, converted = [], [], [], [], [], []
    n_converted = min(int(ctx.scale["tickets"] * 0.6), len(records))
    to_plan = [k for k, r in enumerate(records) if r[5] == IS.TO_PLAN]
    others = [k for k, r in enumerate(records) if r[5] != IS.TO_PLAN]
    from_ticket = set(to_plan[:n_converted])
    from_ticket.update(rng.sample(others, max(0, n_converted - len(from_ticket))))
    numbers: dict[int, int] = {}
    visible, articles = ctx.visible_articles, ctx.articles
    link_id = line_id = time_id = reading_id = 0
    for idx, (created, account, site, equipment, contract, status, planned, warranty, rate,
              people) in enumerate(records):
        intervention_id = idx + 1
        year = created.astimezone(LOCAL_TZ).year
        numbers[year] = numbers.get(year, 0) + 1
        number = f"BI-{year}-{numbers[year]:06d}"
        planned_end = planned + td(minutes=30 * rng.randrange(2, 9)) if planned else None
        departure = arrival = end = back = signed = meter = None
        work, signer = "", ""
        if status in (IS.IN_PROGRESS, IS.DONE, IS.CLOSED):
            arrival = planned + td(minutes=rng.randrange(-15, 45))
            departure = arrival - td(minutes=rng.randrange(15, 90))
            if status != IS.IN_PROGRESS:
                end = min(arrival + td(minutes=rng.randrange(30, 300)), now - td(minutes=20))
                end = max(end, arrival)
                back = min(end + td(minutes=rng.randrange(15, 90)), now)
                signed = min(end + td(minutes=rng.randrange(1, 15)), now)
                work = rng.choice(WORK_DONE)
                signer = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if rate:
                    meter = rate * (end.date() - METER_EPOCH).days
        visit_day = planned.date() if planned else None
        under_warranty = bool(warranty and visit_day and warranty >= visit_day)
        description = rng.choice(INTERVENTION_MOTIFS)
        rows.append((intervention_id, number, account, site, equipment, contract, status,
                     description, planned, planned_end, departure, arrival, end, back,
                     money(meter * 100) if meter is not None else None, work, "",
                     under_warranty, "", signer, signed, created, signed or arrival or created))
        for user_id in people:
            link_id += 1
            technicians.append((link_id, intervention_id, user_id))
        if arrival is not None:
            for position in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
                a_id, label, cents, _vat = articles[visible[rng.randrange(len(visible))]]
                line_id += 1
                lines.append((line_id, intervention_id, position, a_id, label,
                              rng.choice(("1", "1", "2", "0.5", "3", "4")), money(cents)))
            day = arrival.astimezone(LOCAL_TZ).date()
            on_site = ((end - arrival).total_seconds() / 3600) if end else 1.0
            hours = max(0.25, min(12.0, round(on_site * 4) / 4))
            for user_id in people:
                time_id += 1
                times.append((time_id, intervention_id, user_id, TimeEntryKind.WORK, day,
                              f"{hours:.2f}", ""))
                if rng.random() < 0.5:
                    time_id += 1
                    times.append((time_id, intervention_id, user_id, TimeEntryKind.TRAVEL, day,
                                  f"{rng.choice((0.25, 0.5, 0.75, 1.0, 1.5)):.2f}", ""))
        if meter is not None:
            reading_id += 1
            readings.append((reading_id, equipment, money(meter * 100), end, intervention_id))
        if idx in from_ticket:
            converted.append((intervention_id, number, account, site, equipment, status,
                              created, planned, signed))
    ctx.intervention_numbers = numbers
    ctx.converted = converted
    ctx.counts["interventions"] = Copier(Intervention, [
        "id", "number", "client_account_id", "site_id", "equipment_id", "contract_id",
        "status", "description", "planned_start", "planned_end", "departure_at", "arrival_at",
        "end_at", "return_at", "meter_reading", "work_done", "comments", "under_warranty",
        "signature_image", "signer_name", "signed_at", "created_at", "updated_at"]).copy(rows)
    del rows
    ctx.counts["intervention technicians"] = Copier(Intervention.technicians.through, [
        "id", "intervention_id", "user_id"]).copy(technicians)
    ctx.counts["intervention lines"] = Copier(InterventionLine, [
        "id", "intervention_id", "position", "article_id", "label", "quantity",
        "unit_price_excl_tax"]).copy(lines)
    del lines
    ctx.counts["time entries"] = Copier(TimeEntry, [
        "id", "intervention_id", "technician_id", "kind", "date", "hours", "comment"]).copy(times)
    ctx.counts["meter readings"] = Copier(MeterReading, [
        "id", "equipment_id", "value", "read_at", "intervention_id"]).copy(readings)


def gen_tickets(ctx: Context) -> None:
    """Intervention requests, numbered DI-YYYY-NNNNNN in creation order per year: 60 % turned
    into the interventions gen_interventions marked (same company, site, equipment; status
    following the intervention's, as the services do), the others received or being looked
    at (last week) or closed with an answer; 3 % of those carry a serial number typed by hand
    that matches no equipment. Each with its timeline (TicketEvent)."""
    from portal_api.service.models import InterventionStatus as IS
    from portal_api.service.models import Ticket, TicketEvent
    from portal_api.service.models import TicketStatus as TS

    rng, now = ctx.rng, ctx.now
    td = datetime.timedelta
    follows = {IS.TO_PLAN: TS.IN_PROGRESS, IS.PLANNED: TS.PLANNED, IS.IN_PROGRESS: TS.PLANNED,
               IS.DONE: TS.DONE, IS.CLOSED: TS.CLOSED, IS.CANCELLED: TS.IN_PROGRESS}
    records = []
    for (intervention_id, number, account, site, equipment, status, created, planned,
         signed) in ctx.converted:
        records.append((created - td(minutes=rng.randrange(10, 3 * 24 * 60)), account, site,
                        equipment, (intervention_id, number, status, created, planned, signed)))
    ctx.converted = []
    owners = _skewed_owners(ctx, ctx.scale["tickets"] - len(records),
                            (ctx.scale["tickets"] - len(records)) // 10)
    for account in owners:
        created = now - td(seconds=rng.randrange(600, HISTORY_DAYS * 86400))
        account_equipment = ctx.equipment_by_account.get(account)
        if account_equipment and rng.random() < 0.7:
            equipment = rng.choice(account_equipment)
            site = ctx.equipment[equipment][1]
        else:
            equipment, site = None, rng.choice(ctx.sites_by_account[account])
        records.append((created, account, site, equipment, None))
    records.sort(key=lambda r: r[0])

    tickets, events = [], []
    numbers: dict[int, int] = {}
    event_id = 0

    def event(ticket_id, at, status, message):
        nonlocal event_id
        event_id += 1
        events.append((event_id, ticket_id, at, status, message))

    for idx, (created, account, site, equipment, link) in enumerate(records):
        ticket_id = idx + 1
        year = created.astimezone(LOCAL_TZ).year
        numbers[year] = numbers.get(year, 0) + 1
        urgent = rng.random() < 0.1
        requester = rng.choice(ctx.users_by_account[account])
        typed = ""
        answer, closed_at = "", None
        event(ticket_id, created, TS.RECEIVED,
              "Demande urgente reçue." if urgent else "Demande reçue.")
        if link is not None:
            intervention_id, number, i_status, i_created, planned, signed = link
            status = follows[i_status]
            if planned is None:
                event(ticket_id, i_created, TS.IN_PROGRESS,
                      f"Intervention {number} créée : elle sera planifiée prochainement.")
            else:
                event(ticket_id, i_created, TS.PLANNED, f"Intervention {number} planifiée le "
                      f"{planned.astimezone(LOCAL_TZ):%d/%m/%Y à %H:%M}.")
            if i_status in (IS.DONE, IS.CLOSED):
                event(ticket_id, signed, TS.DONE, f"Intervention {number} réalisée : le bon "
                      "d'intervention signé est disponible.")
            if i_status == IS.CLOSED:
                closed_at = min(signed + td(days=rng.randrange(1, 10)), now)
                event(ticket_id, closed_at, TS.CLOSED, f"Intervention {number} clôturée.")
            if i_status == IS.CANCELLED:
                event(ticket_id, min(i_created + td(hours=rng.randrange(1, 48)), now),
                      TS.IN_PROGRESS, f"Intervention {number} annulée : votre demande reste "
                      "suivie par nos services.")
        else:
            intervention_id = None
            if equipment is None and rng.random() < 0.03 / 0.3:
                typed = f"XZ{rng.randrange(10**6, 10**7)}"  # matches no equipment
            if created > now - td(days=7):
                status = rng.choice([TS.RECEIVED, TS.IN_PROGRESS])
                if status == TS.IN_PROGRESS:
                    event(ticket_id, min(created + td(hours=2), now), TS.IN_PROGRESS,
                          "Demande prise en charge par nos services.")
            else:
                status = TS.CLOSED
                closed_at = created + td(hours=rng.randrange(2, 72))
                answer = "Réglage effectué à distance avec votre technicien, sans déplacement."
                event(ticket_id, closed_at, TS.CLOSED, answer)
        text = rng.choice(TICKET_TEXTS).format(code=rng.randrange(10, 99))
        tickets.append((ticket_id, f"DI-{year}-{numbers[year]:06d}", account, requester,
                        equipment, typed, site, text, urgent, status, intervention_id, answer,
                        closed_at, created + td(minutes=1),
                        closed_at + td(minutes=1) if answer else None, created,
                        events[-1][2]))
    ctx.ticket_numbers = numbers
    ctx.counts["tickets"] = Copier(Ticket, [
        "id", "number", "client_account_id", "requester_id", "equipment_id",
        "serial_number_typed", "site_id", "description", "urgent", "status", "intervention_id",
        "answer", "closed_at", "staff_notified_at", "answered_notified_at", "created_at",
        "updated_at"]).copy(tickets)
    ctx.counts["ticket events"] = Copier(TicketEvent, [
        "id", "ticket_id", "created_at", "status", "message"]).copy(events)


def gen_sequences(ctx: Context) -> None:
    """NumberSequence at the last number used, so that the services continue the series."""
    from portal_api.common.models import NumberSequence

    series = (("order", ctx.order_numbers), ("invoice", ctx.invoice_numbers),
              ("intervention", ctx.intervention_numbers), ("ticket", ctx.ticket_numbers))
    rows = [(name, year, last) for name, numbers in series
            for year, last in sorted(numbers.items())]
    for name, year, last in rows:
        NumberSequence.objects.update_or_create(name=name, year=year,
                                                defaults={"last_value": last})
    ctx.counts["number sequences"] = len(rows)


# One step after another, each after what it needs.
STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("accounts", gen_accounts),
    ("catalog", gen_catalog),
    ("orders", gen_orders),
    ("invoices", gen_invoices),
    ("technicians", gen_technicians),
    ("equipment", gen_equipment),
    ("interventions", gen_interventions),
    ("tickets", gen_tickets),
    ("sequences", gen_sequences),
]

# Tables emptied by --reset (CASCADE empties what points at them).
RESET_MODELS = [
    "billing.InvoiceLine", "billing.Invoice", "orders.OrderLine", "orders.Order",
    "catalog.Article", "catalog.ArticleFamily", "accounts.PortalProfile", "accounts.Site",
    "accounts.ClientAccount", "accounts.User", "common.NumberSequence",
    "accounts.TechnicianProfile", "billing.Contract", "service.Equipment",
    "service.Intervention", "service.Intervention_technicians", "service.InterventionLine",
    "service.TimeEntry", "service.MeterReading", "service.Ticket", "service.TicketEvent",
]
VAT_TEXT = {2000: "20.00", 1000: "10.00", 550: "5.50"}
LOCAL_TZ = UTC  # replaced by the project's time zone in main()


# --------------------------------------------------------------------------- driver


def reset_tables() -> None:
    from django.apps import apps
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("--reset only on a database whose name contains 'bench'")
    tables = ", ".join(f'"{apps.get_model(m)._meta.db_table}"' for m in RESET_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def fast_copy_session() -> bool:
    """COPY without the per-row foreign-key triggers (PostgreSQL queues one check per row and
    runs them at commit: minutes at this scale). Needs a superuser; check_foreign_keys() then
    verifies every foreign key of the generated tables in one set-based query each."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET session_replication_role = replica")
    return True


def check_foreign_keys() -> None:
    from django.apps import apps
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        for label in RESET_MODELS:
            model = apps.get_model(label)
            for f in model._meta.concrete_fields:
                if not f.is_relation or not f.db_constraint:
                    continue
                target = f.target_field
                cursor.execute(
                    f'SELECT count(*) FROM "{model._meta.db_table}" c '
                    f'LEFT JOIN "{target.model._meta.db_table}" p '
                    f'ON p."{target.column}" = c."{f.column}" '
                    f'WHERE c."{f.column}" IS NOT NULL AND p."{target.column}" IS NULL')
                orphans = cursor.fetchone()[0]
                if orphans:
                    problems.append(f"{label}.{f.name}: {orphans} rows point nowhere")
    if problems:
        sys.exit("Foreign keys broken:\n" + "\n".join(problems))


def reset_sequences() -> None:
    """Move each id sequence past the ids the generator gave."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [apps.get_model(m) for m in RESET_MODELS]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--anchor-date", type=datetime.date.fromisoformat, default=None,
                        help="the 'today' of the data (default: today)")
    parser.add_argument("--reset", action="store_true",
                        help="empty the bench tables first (database name must contain 'bench')")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("bench/generate.py needs PostgreSQL: set DATABASE_URL=postgres://...")

    global LOCAL_TZ
    import zoneinfo

    LOCAL_TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    started = time.perf_counter()
    if not args.no_migrate:
        t = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"{'migrate':<22}{time.perf_counter() - t:8.1f} s", flush=True)
    if args.reset:
        reset_tables()
    from portal_api.accounts.models import ClientAccount

    if ClientAccount.objects.exists():
        sys.exit("The database already holds client accounts: use --reset (bench databases "
                 "only) or a fresh database.")

    anchor = args.anchor_date or timezone.localdate()
    ctx = Context(
        scale=SCALES[args.scale], rng=random.Random(args.seed), anchor=anchor,
        now=datetime.datetime.combine(anchor, datetime.time(18), tzinfo=LOCAL_TZ),
        password_hash=make_password(BENCH_PASSWORD, salt="benchsaltbenchsalt"),
    )
    fast = fast_copy_session()
    print(f"scale={args.scale} seed={args.seed} anchor={anchor} "
          f"database={connection.settings_dict['NAME']}", flush=True)
    for name, step in STEPS:
        t = time.perf_counter()
        before = dict(ctx.counts)
        with transaction.atomic():
            step(ctx)
        made = ", ".join(f"{v:,} {k}" for k, v in ctx.counts.items() if k not in before)
        print(f"{name:<22}{time.perf_counter() - t:8.1f} s   {made}", flush=True)
    t = time.perf_counter()
    if fast:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
        check_foreign_keys()
        print(f"{'foreign keys checked':<22}{time.perf_counter() - t:8.1f} s", flush=True)
    t = time.perf_counter()
    reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # visibility map and statistics, as after a while
    print(f"{'sequences + vacuum':<22}{time.perf_counter() - t:8.1f} s", flush=True)
    print(f"{'total':<22}{time.perf_counter() - started:8.1f} s", flush=True)


if __name__ == "__main__":
    main()
