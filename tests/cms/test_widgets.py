"""Widget blocks say what the user may do (issue 12): the technician list knows from the page
whether to offer "Toutes", rather than asking the API and logging a 403."""

import pytest

from cms.models import IntranetHomePage
from cms.services import INTRANET_WIDGET_PAGES, _widget_pages, portal_pages_ensure


@pytest.fixture
def intranet(db):
    portal_pages_ensure()
    _widget_pages(IntranetHomePage.objects.get(), INTRANET_WIDGET_PAGES)


def element(html: str) -> str:
    start = html.index("<portal-technician-interventions")
    return html[start:html.index(">", start)]


def test_only_who_may_see_all_gets_scope_all(client, intranet, julie, team_lead):
    client.force_login(julie)
    assert "scope-all" not in element(client.get("/intranet/interventions/").text)
    client.force_login(team_lead)
    assert "scope-all" in element(client.get("/intranet/interventions/").text)
