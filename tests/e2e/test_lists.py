"""Lists that remember and do not ignore (issue 12): the filters, the page and the ordering
live in the address (a reload, the back button), a client typed and not picked still filters,
on a phone the filters fold under "Filtres (n)" and the first result is on the first screen,
the technician's list asks the API once, a missing id says so without a useless retry."""

import re

from playwright.sync_api import expect

from portal_api.accounts.factories import SiteFactory
from portal_api.service.factories import InterventionFactory

from . import test_intranet
from .test_intranet import LIST, SHEET
from .test_vertical_slice import log_in

# The intranet journey's pages and Julie's agenda, as fixtures of this module too.
intranet_pages = test_intranet.intranet_pages
day = test_intranet.day

API = "/api/v1/interventions/"


def rows_of(page, widget):
    return widget.locator(".tech-card" if page.viewport_name == "phone" else "tbody tr")


def open_filters(page, widget):
    if page.viewport_name == "phone":
        widget.locator("summary[data-action=filters]").click()


def test_filters_survive_a_reload_and_the_back_button(page, intranet_pages, day, julie):
    log_in(page, julie.email)
    page.goto(LIST)
    widget = page.locator("portal-technician-interventions")
    rows = rows_of(page, widget)
    expect(rows).to_have_count(3)
    open_filters(page, widget)
    widget.get_by_label("Statut").select_option("done")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?status=done$"))

    # A reload (or a bookmark) shows the same list, the form saying why.
    page.reload()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(day["past"].number)
    expect(widget.get_by_label("Statut")).to_have_value("done")
    toggle = widget.locator("summary[data-action=filters]")
    expect(toggle).to_have_attribute("data-count", "1")
    if page.viewport_name == "phone":
        expect(toggle).to_have_text("Filtres (1)")

    # Back: the whole list again; forward: the filtered one.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"{LIST}$"))
    expect(rows).to_have_count(3)
    expect(widget.get_by_label("Statut")).to_have_value("")
    page.go_forward()
    expect(rows).to_have_count(1)
    expect(widget.get_by_label("Statut")).to_have_value("done")


def test_a_client_typed_and_not_picked_filters_and_is_kept(page, intranet_pages, day, julie,
                                                           other_company):
    elsewhere = InterventionFactory(site=SiteFactory(client_account=other_company,
                                                     name="Dépôt"), technicians=[julie])
    log_in(page, julie.email)
    page.goto(LIST)
    widget = page.locator("portal-technician-interventions")
    rows = rows_of(page, widget)
    expect(rows).to_have_count(4)
    open_filters(page, widget)
    client = widget.get_by_label("Client")
    client.fill("Autre")
    client.press("Enter")  # no suggestion picked: the words filter
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(elsewhere.number)
    expect(page).to_have_url(re.compile(r"client_search=Autre"))
    page.reload()
    expect(rows).to_have_count(1)
    expect(widget.get_by_label("Client")).to_have_value("Autre")
    # Cleared and filtered again with the button: everything.
    open_filters(page, widget)
    widget.get_by_label("Client").fill("")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(4)


def test_a_picked_client_comes_back_with_its_name(page, intranet_pages, day, julie):
    log_in(page, julie.email)
    page.goto(f"{LIST}?client={day['site'].client_account_id}")
    widget = page.locator("portal-technician-interventions")
    expect(widget.locator("[data-chosen=client]")).to_have_text("Dupond Industrie")
    expect(rows_of(page, widget)).to_have_count(3)


def test_the_list_asks_the_api_once_and_nothing_is_refused(page, intranet_pages, day, julie):
    log_in(page, julie.email)
    calls, errors = [], []
    page.on("request", lambda request: calls.append(request.url)
            if API in request.url else None)
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and "/api/" in response.url else None)
    page.goto(LIST)
    widget = page.locator("portal-technician-interventions")
    expect(rows_of(page, widget)).to_have_count(3)
    page.wait_for_load_state("networkidle")
    assert len(calls) == 1, calls
    assert "scope=all" not in calls[0]
    assert not [e for e in errors if "403" in e or "Forbidden" in e], errors
    # Julie may not see every intervention: "Toutes" is not offered.
    open_filters(page, widget)
    scope = widget.get_by_role("combobox", name="Interventions")
    expect(scope.locator("option")).to_have_count(2)


def test_on_a_phone_the_first_result_is_on_the_first_screen(page, intranet_pages, day, julie,
                                                            screenshot):
    if page.viewport_name != "phone":
        return
    log_in(page, julie.email)
    page.goto(LIST)
    widget = page.locator("portal-technician-interventions")
    first = widget.locator(".tech-card").first
    expect(first).to_be_visible()
    expect(widget.locator("details.filters-panel")).not_to_have_attribute("open", "")
    expect(widget.locator("summary[data-action=filters]")).to_have_text("Filtres")
    box = first.bounding_box()
    assert box["y"] + 0 < 844, box
    # Compact cards: three of them are no taller than one was (about 300 px).
    for card in widget.locator(".tech-card").all():
        assert card.bounding_box()["height"] <= 145, card.bounding_box()
    # No word is cut in two: nothing in the list breaks words anywhere.
    assert page.evaluate("""() => [...document.querySelectorAll(
        'portal-technician-interventions *')].every(
        (node) => getComputedStyle(node).wordBreak !== 'break-all')""")
    screenshot("lists-technician-phone")


def test_a_missing_intervention_says_so_without_retry(page, intranet_pages, day, julie):
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention=987654")
    alert = page.locator("portal-intervention-sheet [data-state=error]")
    expect(alert).to_contain_text("n'existe pas ou ne vous est pas accessible")
    expect(alert.get_by_role("button", name="Réessayer")).to_have_count(0)
    back = alert.get_by_role("link", name="Retour à la liste")
    expect(back).to_have_attribute("href", LIST)
    back.click()
    expect(page).to_have_url(re.compile(rf"{LIST}$"))
