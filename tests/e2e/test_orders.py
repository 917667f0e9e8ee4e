"""Browser journeys for the catalogue and orders: Dupond prepares a draft from the catalogue,
places it and finds it in his orders; Martin sees no ordering at all; another company sees
none of Dupond's orders."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cms.models import ExtranetHomePage, PortalPage
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.orders.models import Order, OrderStatus

from .conftest import SCREENSHOTS
from .test_vertical_slice import log_in

ORDER_PAGE = "/espace-client/commandes/commande/"


@pytest.fixture
def order_pages(portal_pages):
    extranet = ExtranetHomePage.objects.get()
    extranet.add_child(instance=PortalPage(
        title="Catalogue", slug="catalogue", show_in_menus=True,
        required_permission="catalog.browse_catalog",
        intro=[("catalogue", {"title": "", "order_page": ORDER_PAGE})]))
    orders = extranet.add_child(instance=PortalPage(
        title="Commandes", slug="commandes", show_in_menus=True,
        required_permission="orders.view_orders",
        intro=[("orders", {"title": "", "order_page": ORDER_PAGE, "exportable": True})]))
    orders.add_child(instance=PortalPage(
        title="Ma commande", slug="commande", show_in_menus=False,
        required_permission="orders.view_orders",
        intro=[("order_draft", {"title": "", "catalogue_page": "/espace-client/catalogue/",
                                "list_page": "/espace-client/commandes/"})]))


@pytest.fixture
def articles(transactional_db):
    heating = ArticleFamilyFactory(code="CHAUF", name="Chauffage")
    ArticleFamilyFactory(code="ELEC", name="Électricité")
    return {
        "pump": ArticleFactory(reference="CIRC-25", label="Circulateur basse consommation",
                               family=heating, price_excl_tax=Decimal("189.00"),
                               stock_on_hand=Decimal("12")),
        "valve": ArticleFactory(reference="VAN-3V", label="Vanne trois voies",
                                family=heating, stock_on_hand=Decimal("3")),
        "gone": ArticleFactory(reference="JOINT-1", label="Joint fibre", family=heating,
                               stock_on_hand=Decimal("0")),
        "hidden": ArticleFactory(reference="HID-1", label="Circulateur interne",
                                 family=heating, visible_to_clients=False),
    }


def test_dupond_prepares_places_and_finds_his_order(page, order_pages, articles, dupond,
                                                    screenshot):
    log_in(page, dupond.email)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Catalogue").click()
    catalogue = page.locator("portal-catalogue")
    expect(catalogue.locator("tr[data-id]")).to_have_count(3)  # the hidden one never shows
    expect(catalogue).not_to_contain_text("HID-1")
    expect(catalogue.locator("[data-availability=low]")).to_contain_text("Stock faible (3)")
    expect(catalogue.locator("[data-availability=out_of_stock]")).to_have_text(
        "Rupture de stock")
    screenshot("catalogue-dupond")

    catalogue.get_by_label("Rechercher (référence, mots)").fill("circulateur")
    catalogue.get_by_role("button", name="Filtrer").click()
    expect(catalogue.locator("tr[data-id]")).to_have_count(1)
    catalogue.get_by_label("Quantité de Circulateur basse consommation").fill("2")
    catalogue.get_by_role("button", name=re.compile("Ajouter à la commande")).click()
    expect(catalogue.locator(".callout--success")).to_contain_text("ajouté à la commande")
    catalogue.locator(".callout--success").get_by_role("link", name="Voir la commande").click()

    draft = page.locator("portal-order-draft")
    expect(draft.locator("tr[data-reference=CIRC-25]")).to_be_visible()
    expect(draft.locator("[data-field=total_incl_tax]")).to_contain_text("453,60")
    draft.get_by_label("Référence client").fill("CHANTIER-LYON")
    draft.get_by_role("button", name="Enregistrer").click()
    expect(draft.locator(".callout--success")).to_contain_text("Enregistré")
    screenshot("order-draft-dupond")
    draft.get_by_role("button", name="Passer la commande").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirmer la commande").click()
    expect(draft.locator(".callout--success")).to_contain_text("Commande CO-")
    order = Order.objects.get(customer_reference="CHANTIER-LYON")
    assert order.status == OrderStatus.SUBMITTED
    expect(draft.locator(".callout--success")).to_contain_text(order.number)
    expect(draft.get_by_role("button", name="Passer la commande")).to_have_count(0)
    expect(draft.get_by_role("button", name="Annuler la commande")).to_be_visible()
    screenshot("order-placed-dupond")

    menu.get_by_role("link", name="Commandes").click()
    orders = page.locator("portal-order-list")
    row = orders.locator(f"tr[data-id='{order.pk}']")
    expect(row).to_contain_text(order.number)
    expect(row).to_contain_text("Passée")
    expect(orders.get_by_role("link", name="Exporter (.xlsx)")).to_be_visible()
    screenshot("orders-dupond")


def test_short_stock_is_shown_line_by_line(page, order_pages, articles, dupond,
                                           dupond_company):
    from portal_api.orders.services import order_create_draft

    order = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                               lines=[(articles["valve"], Decimal("5"))])
    log_in(page, dupond.email)
    page.goto(f"{ORDER_PAGE}?order={order.pk}")
    draft = page.locator("portal-order-draft")
    draft.get_by_role("button", name="Passer la commande").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirmer la commande").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    alert = draft.locator(".callout--error")
    expect(alert).to_contain_text("Stock insuffisant")
    expect(alert).to_contain_text("VAN-3V – Vanne trois voies : demandé 5, disponible 3")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DRAFT


def test_martin_sees_no_ordering(page, order_pages, articles, martin):
    log_in(page, martin.email)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Commandes")).to_have_count(0)
    expect(menu.get_by_role("link", name="Catalogue")).to_have_count(0)
    assert page.goto("/espace-client/commandes/").status == 403
    assert page.goto("/espace-client/catalogue/").status == 403
    assert page.request.get("/api/v1/orders/").status == 403
    assert page.request.get("/api/v1/articles/").status == 403


def test_another_company_sees_none_of_duponds_orders(page, order_pages, articles, dupond,
                                                     dupond_company, other_manager,
                                                     screenshot):
    from portal_api.orders.services import order_create_draft, order_submit

    mine = order_submit(order=order_create_draft(
        client_account=dupond_company, prepared_by=dupond, customer_reference="DUPOND-SECRET",
        lines=[(articles["pump"], Decimal("1"))]), submitted_by=dupond)
    log_in(page, other_manager.email)
    page.goto("/espace-client/commandes/")
    orders = page.locator("portal-order-list")
    expect(orders.locator("[data-state=empty]")).to_be_visible()
    expect(orders).not_to_contain_text("DUPOND-SECRET")
    page.goto(f"{ORDER_PAGE}?order={mine.pk}")
    # Not "Non trouvé." with a useless "Réessayer": what it means, and the way back.
    alert = page.locator("portal-order-draft [data-state=error]")
    expect(alert).to_contain_text("Cet élément n'existe pas ou ne vous est pas accessible.")
    expect(alert.get_by_role("button", name="Réessayer")).to_have_count(0)
    expect(alert.get_by_role("link", name="Retour à la liste")).to_have_attribute(
        "href", "/espace-client/commandes/")
    assert page.request.get(f"/api/v1/orders/{mine.pk}/").status == 404
    screenshot("orders-other-company")


# --- Issue 12, point 4: the stock said while typing, the policy, the confirmation ----------

RESTOCK = datetime.date(2027, 1, 12)


@pytest.fixture
def lyon(dupond_company):
    from portal_api.accounts.factories import SiteFactory

    return SiteFactory(client_account=dupond_company, name="Usine de Lyon", city="Lyon")


def dialog_shot(page, name):
    """A modal is seen in the viewport: a full-page shot would stretch it over the page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}.png"))


def quantity_hint(container, label):
    """The stock hint that describes the quantity field of this article."""
    field = container.get_by_label(f"Quantité de {label}")
    return container.locator(f"#{field.get_attribute('aria-describedby')}")


def test_refuse_policy_says_the_stock_while_typing_and_adds_nothing_above_it(
        page, order_pages, articles, dupond, dupond_company, screenshot):
    from portal_api.orders.services import order_create_draft

    draft_order = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                     customer_reference="STOCK-2",
                                     lines=[(articles["valve"], Decimal("2"))])
    log_in(page, dupond.email)
    page.goto("/espace-client/catalogue/")
    catalogue = page.locator("portal-catalogue")
    catalogue.locator("select[name=draft]").select_option(str(draft_order.pk))
    hint = quantity_hint(catalogue, "Vanne trois voies")
    add = catalogue.get_by_role("button", name="Ajouter à la commande : Vanne trois voies")
    expect(hint).to_have_text("Disponible : 3")
    catalogue.get_by_label("Quantité de Vanne trois voies").fill("10")
    # Said before anything is added, and not offered.
    expect(hint).to_have_text(
        "Au-delà du stock disponible (3) : cette quantité sera refusée.")
    expect(add).to_be_disabled()
    gone = quantity_hint(catalogue, "Joint fibre")
    expect(gone).to_have_text(
        "Rupture de stock : cet article ne peut pas être commandé pour le moment.")
    expect(catalogue.get_by_role("button", name="Ajouter à la commande : Joint fibre")) \
        .to_be_disabled()
    screenshot("catalogue-stock-refused")

    # 2 typed are available, but the draft already holds 2: the server refuses, in French.
    catalogue.get_by_label("Quantité de Vanne trois voies").fill("2")
    expect(hint).to_have_text("Disponible : 3")
    add.click()
    expect(catalogue.locator(".callout--error")).to_have_text(
        "Stock insuffisant : 3 disponible(s), dont 2 déjà dans cette commande. Une quantité "
        "supérieure au stock n'est pas acceptée.")
    assert list(draft_order.lines.values_list("quantity", flat=True)) == [Decimal("2")]

    page.goto(f"{ORDER_PAGE}?order={draft_order.pk}")
    draft = page.locator("portal-order-draft")
    line_hint = quantity_hint(draft, "Vanne trois voies")
    expect(line_hint).to_have_text("Disponible : 3")
    draft.get_by_label("Quantité de Vanne trois voies").fill("5")
    expect(line_hint).to_have_text(
        "Au-delà du stock disponible (3) : cette quantité sera refusée.")
    screenshot("order-draft-stock-refused")
    draft.get_by_label("Quantité de Vanne trois voies").press("Tab")
    expect(draft.locator(".callout--error")).to_contain_text("Stock insuffisant : 3 disponible")
    expect(draft.get_by_label("Quantité de Vanne trois voies")).to_have_value("2")
    assert list(draft_order.lines.values_list("quantity", flat=True)) == [Decimal("2")]


def test_backorder_policy_marks_the_line_with_the_restock_date(
        page, order_pages, articles, dupond, settings, screenshot):
    from portal_api.catalog.models import Article

    settings.ORDER_STOCK_POLICY = "backorder"
    Article.objects.filter(pk=articles["valve"].pk).update(restock_date=RESTOCK)
    log_in(page, dupond.email)
    page.goto("/espace-client/catalogue/")
    catalogue = page.locator("portal-catalogue")
    hint = quantity_hint(catalogue, "Vanne trois voies")
    catalogue.get_by_label("Quantité de Vanne trois voies").fill("10")
    expect(hint).to_have_text("Au-delà du stock disponible (3) : 7 en reliquat, "
                              "réapprovisionnement prévu le 12/01/2027.")
    expect(quantity_hint(catalogue, "Joint fibre")).to_have_text(
        "Rupture de stock : toute la quantité sera en reliquat, date de réapprovisionnement "
        "à confirmer.")
    screenshot("catalogue-stock-backorder")
    catalogue.get_by_role("button", name="Ajouter à la commande : Vanne trois voies").click()
    added = catalogue.locator(".callout--warning")
    expect(added).to_contain_text("Vanne trois voies ajouté à la commande : 7 en reliquat, "
                                  "réapprovisionnement prévu le 12/01/2027.")
    added.get_by_role("link", name="Voir la commande").click()

    draft = page.locator("portal-order-draft")
    row = draft.locator("tr[data-reference=VAN-3V]")
    expect(row.locator("[data-backorder]")).to_have_text(
        "En reliquat : 7 (réapprovisionnement prévu le 12/01/2027)")
    screenshot("order-draft-backorder")
    draft.get_by_role("button", name="Passer la commande").click()
    dialog = page.get_by_role("dialog", name="Confirmer la commande ?")
    expect(dialog.locator("tr[data-reference=VAN-3V] [data-backorder]")).to_have_text(
        "En reliquat : 7 (réapprovisionnement prévu le 12/01/2027)")
    expect(dialog).to_contain_text("Les quantités en reliquat seront livrées à réception")
    dialog_shot(page, "order-confirm-backorder")
    dialog.get_by_role("button", name="Confirmer la commande").click()
    expect(draft.locator(".callout--success")).to_contain_text("Commande CO-")
    # The placed order's page keeps the mark (frozen on the line).
    expect(draft.locator("tr[data-reference=VAN-3V] [data-backorder]")).to_have_text(
        "En reliquat : 7 (réapprovisionnement prévu le 12/01/2027)")
    line = Order.objects.get(status=OrderStatus.SUBMITTED).lines.get()
    assert (line.quantity, line.backordered_quantity, line.restock_date) == (
        Decimal("10"), Decimal("7"), RESTOCK)
    assert Article.objects.get(pk=articles["valve"].pk).stock_reserved == Decimal("3")
    screenshot("order-placed-backorder")


def test_placing_asks_for_confirmation_with_a_summary(
        page, order_pages, articles, dupond, dupond_company, lyon, screenshot):
    from portal_api.orders.services import order_create_draft

    order = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                               customer_reference="CHANTIER-43K", delivery_site=lyon,
                               lines=[(articles["pump"], Decimal("2")),
                                      (articles["valve"], Decimal("1"))])
    log_in(page, dupond.email)
    page.goto(f"{ORDER_PAGE}?order={order.pk}")
    draft = page.locator("portal-order-draft")
    place = draft.get_by_role("button", name="Passer la commande")
    place.click()
    dialog = page.get_by_role("dialog", name="Confirmer la commande ?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Confirmer la commande ?")).to_be_focused()
    pump = dialog.locator("tr[data-reference=CIRC-25]")
    expect(pump).to_contain_text("Circulateur basse consommation")
    expect(pump).to_contain_text("2 unités")  # the unit agrees, not « 2 unité »
    expect(pump).to_contain_text("189,00")
    expect(pump).to_contain_text("378,00")
    valve = dialog.locator("tr[data-reference=VAN-3V]")
    expect(valve).to_contain_text("Vanne trois voies")
    expect(valve).to_contain_text("42,50")
    expect(valve).to_contain_text("1 unité")
    expect(valve.locator("[data-backorder]")).to_have_count(0)
    expect(dialog.locator("[data-field=total_excl_tax]")).to_contain_text("420,50")
    expect(dialog.locator("[data-field=total_vat]")).to_contain_text("84,10")
    expect(dialog.locator("[data-field=total_incl_tax]")).to_contain_text("504,60")
    expect(dialog.locator("[data-field=delivery_site]")).to_have_text("Usine de Lyon (Lyon)")
    expect(dialog).to_contain_text("CHANTIER-43K")
    dialog_shot(page, "order-confirm-dialog")

    # "Annuler" (and Escape) place nothing and give the focus back.
    dialog.get_by_role("button", name="Annuler").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(place).to_be_focused()
    place.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT and order.number is None
    assert articles["pump"].__class__.objects.get(pk=articles["pump"].pk).stock_reserved == 0

    place.click()
    dialog.get_by_role("button", name="Confirmer la commande").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(draft.locator(".callout--success")).to_contain_text("Commande CO-")
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.total_incl_tax == Decimal("504.60")
    expect(draft.locator(".callout--success")).to_be_focused()
