"""The vertical slice: login page → Wagtail page → <portal-me> widget → /api/v1/me/."""

from playwright.sync_api import expect

from portal_api.accounts.factories import DEMO_PASSWORD


def log_in(page, email, password=DEMO_PASSWORD):
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()


def open_filters(widget):
    """On a phone a list's filters are folded under "Filtres (n)": open them."""
    toggle = widget.locator("summary[data-action=filters]")
    if toggle.count() and toggle.is_visible() and not widget.locator(
            "details.filters-panel[open]").count():
        toggle.click()


def test_dupond_sees_his_company_and_rights(page, portal_pages, dupond, screenshot):
    page.goto("/connexion/")
    screenshot("login")
    log_in(page, "dupond@dupond-industrie.fr")
    expect(page).to_have_url(f"{page.context._impl_obj._options['baseURL']}/espace-client/")
    widget = page.locator("portal-me")
    expect(widget.locator("[data-field=company]")).to_have_text("Dupond Industrie (DUPOND)")
    expect(widget.locator("[data-field=role]")).to_have_text("Acheteur")
    expect(widget.locator("[data-right=place_orders]")).to_have_attribute("data-granted", "true")
    expect(widget.locator("[data-right=request_interventions]")).to_have_attribute(
        "data-granted", "false"
    )
    screenshot("extranet-home-dupond")

    # Logging out brings him back to the login page; the extranet is closed again.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion au portail")).to_be_visible()
    page.goto("/espace-client/")
    expect(page).to_have_url(page.url.split("?")[0] + "?next=/espace-client/")


def test_julie_lands_in_the_intranet(page, portal_pages, julie, screenshot):
    log_in(page, julie.email)
    expect(page.get_by_role("heading", name="Intranet techniciens")).to_be_visible()
    assert page.url.endswith("/intranet/")
    expect(page.locator("portal-me [data-field=role]")).to_have_text("Technicien")
    screenshot("intranet-home-julie")


def test_wrong_password_shows_a_clear_message(page, portal_pages, dupond, screenshot):
    log_in(page, "dupond@dupond-industrie.fr", "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    screenshot("login-error")


def test_widget_shows_an_error_state_when_the_api_fails(page, portal_pages, martin):
    log_in(page, martin.email)
    expect(page.locator("portal-me [data-field=role]")).to_have_text("Technique")
    page.route("**/api/v1/me/", lambda route: route.abort())
    page.reload()
    alert = page.locator("portal-me [data-state=error]")
    expect(alert).to_contain_text("Connexion impossible")
    page.unroute("**/api/v1/me/")
    alert.get_by_role("button", name="Réessayer").click()
    expect(page.locator("portal-me [data-field=role]")).to_have_text("Technique")
