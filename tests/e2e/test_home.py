"""The public home page: what the portal offers and where to log in, in the brand's look; the
favicon on every page."""

import re

from playwright.sync_api import expect

from .test_vertical_slice import log_in


def test_a_visitor_learns_what_the_portal_offers_and_logs_in(page, portal_pages, dupond,
                                                             screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue sur votre portail")
    client = page.locator(".home-space", has=page.get_by_role("heading", name="Espace client"))
    technicians = page.locator(".home-space",
                               has=page.get_by_role("heading", name="Intranet techniciens"))
    expect(client).to_contain_text("stock disponible")
    expect(client).to_contain_text("Factures")
    expect(client).to_contain_text("Demandes d'intervention")
    expect(technicians).to_contain_text("Signature du client")
    expect(page.get_by_role("heading", name="Comment se connecter ?")).to_be_visible()
    # The login is in the first screen, on a phone too.
    login = page.locator(".home-hero").get_by_role("link", name="Se connecter")
    expect(login).to_be_in_viewport()
    # The hero wears the brand colour.
    hero_colour = page.locator(".home-hero").evaluate("e => getComputedStyle(e).backgroundColor")
    assert hero_colour == "rgb(11, 92, 173)"
    screenshot("home")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/png"
    linked = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(linked).headers["content-type"].startswith("image/svg+xml")
    login.click()
    expect(page).to_have_url(re.compile("/connexion/"))
    log_in(page, dupond.email)
    page.goto("/")
    expect(page.locator(".home-hero").get_by_role("link", name="Mon espace client")).to_be_visible()
