"""Browser journeys for the catalogue and orders: Dupond prepares a draft from the catalogue,
places it and finds it in his orders; Martin sees no ordering at all; another company sees
none of Dupond's orders."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cms.models import ExtranetHomePage, PortalPage
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.orders.models import Order, OrderStatus

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
