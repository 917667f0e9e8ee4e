import pytest
from django.core.management import call_command

from cms.models import ExtranetHomePage, IntranetHomePage


@pytest.mark.django_db
def test_portal_init_creates_the_tree_once(capsys):
    call_command("portal_init")
    call_command("portal_init")
    assert ExtranetHomePage.objects.count() == IntranetHomePage.objects.count() == 1
    assert "/espace-client/" in capsys.readouterr().out
