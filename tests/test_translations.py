"""English must be complete: every French source string has its English translation, the
compiled catalog matches the .po, and the portal really answers in English.

The catalog is read with a small .po parser (no polib dependency) and the compiled .mo with
the standard library's gettext. The check that no string of the code is missing from the .po
runs makemessages, which needs GNU gettext (msgfmt, xgettext): without it the check is skipped,
except under CI=true, where .ci/run installs gettext and the check must run.
"""

import ast
import gettext
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from cms.services import portal_pages_ensure
from portal_api.accounts.factories import DEMO_PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The same folders as the documented command:
# manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var
#                              --ignore=tests --ignore=bench
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "var", "tests", "bench"]
# Files makemessages reads for the "django" domain.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


# --- A tiny .po reader ------------------------------------------------------------------------


class Entry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = None
        self.msgstr_plural = {}
        self.flags = set()
        self.line = 0

    @property
    def key(self):
        return (self.msgctxt, self.msgid)

    def __repr__(self):
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    """A PO string literal ("...") to its value."""
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {text}"
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The active (non-obsolete) entries of a .po file, header excluded."""
    entries: list[Entry] = []
    entry = Entry()
    field = None  # (attribute, plural index or None) that continuation lines extend

    def finish():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry, field = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entry
        elif line.startswith("#,"):
            if entry.msgid is not None:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if entry.msgid is not None:
                finish()
        elif line.startswith('"'):
            assert field is not None, f"{path}:{number}: continuation without a keyword"
            name, index = field
            if index is None:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            else:
                entry.msgstr_plural[index] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            # A msgctxt, or a msgid after a msgstr, opens the next entry.
            after_msgstr = entry.msgstr is not None or bool(entry.msgstr_plural)
            opens = keyword == "msgctxt" or (keyword == "msgid" and after_msgstr)
            if opens and entry.msgid is not None:
                finish()
            if keyword.startswith("msgstr["):
                index = int(keyword[len("msgstr["):-1])
                entry.msgstr_plural[index] = _unquote(value)
                field = ("msgstr_plural", index)
            elif keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
                if keyword == "msgid":
                    entry.line = number
                setattr(entry, keyword, _unquote(value))
                field = (keyword, None)
            else:
                raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return [e for e in entries if e.msgid != ""]


def test_the_parser_reads_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "Bonjour %(n)s"\nmsgstr "Hello %(n)s"\n\n'
        'msgctxt "menu"\nmsgid ""\n"Long "\n"texte"\nmsgstr ""\n"Long "\n"text"\n\n'
        '#, fuzzy\nmsgid "une"\nmsgid_plural "des"\nmsgstr[0] "one"\nmsgstr[1] ""\n\n'
        '#~ msgid "ancien"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    first, second, third = parse_po(po)
    assert (first.msgid, first.msgstr, first.flags) == ("Bonjour %(n)s", "Hello %(n)s",
                                                         {"python-format"})
    assert (second.msgctxt, second.msgid, second.msgstr) == ("menu", "Long texte", "Long text")
    assert third.msgid_plural == "des" and third.msgstr_plural == {0: "one", 1: ""}
    assert "fuzzy" in third.flags


@pytest.fixture(scope="module")
def po_entries():
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages -l en"
    entries = parse_po(PO_PATH)
    assert len(entries) > 100, "the English catalog looks empty"
    return entries


# --- (a) every entry translated, nothing fuzzy -----------------------------------------------


def test_no_empty_translation(po_entries):
    empty = [
        e for e in po_entries
        if (e.msgid_plural and (len(e.msgstr_plural) < 2
                                or not all(e.msgstr_plural.values())))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert not empty, f"untranslated in {PO_PATH}: {empty}"


def test_no_fuzzy_entry(po_entries):
    fuzzy = [e for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, f"fuzzy entries to check in {PO_PATH}: {fuzzy}"


def test_catalog_header_is_english():
    header = PO_PATH.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Language: en\\n"' in header
    assert "charset=UTF-8" in header
    assert "nplurals=2; plural=(n != 1);" in header
    assert "#, fuzzy" not in header


# --- (b) the committed .mo is the compiled .po -----------------------------------------------


def test_mo_is_up_to_date_with_po(po_entries):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages -l en and commit it"
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for e in po_entries:
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            for index, text in e.msgstr_plural.items():
                if catalog.get((msgid, index)) != text:
                    stale.append(e)
                    break
        elif catalog.get(msgid) != e.msgstr:
            stale.append(e)
    assert not stale, (
        f"{MO_PATH} does not match the .po (run compilemessages -l en and commit the .mo): "
        f"{stale[:10]}"
    )
    singular_ids = {k for k in catalog if isinstance(k, str) and k}
    po_ids = {e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
              for e in po_entries if not e.msgid_plural}
    assert singular_ids == po_ids, (
        f"the .mo has other messages than the .po: {sorted(singular_ids ^ po_ids)[:10]}"
    )


def test_placeholders_are_kept(po_entries):
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    wrong = []
    for e in po_entries:
        expected = sorted(placeholder.findall(e.msgid_plural or e.msgid))
        translations = e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]
        for text in translations:
            if sorted(placeholder.findall(text)) != expected:
                wrong.append(e)
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


# --- (c) no string of the code is missing from the committed catalog -------------------------


def _gettext_tools_or_skip():
    missing = [tool for tool in ("msgfmt", "xgettext", "msgmerge", "msguniq")
               if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs GNU gettext ({', '.join(missing)} missing): "
                    "apt-get install gettext")
    pytest.skip(f"GNU gettext is not installed ({', '.join(missing)} missing): the check that "
                "every French string of the code is in the English catalog is skipped; "
                "apt-get install gettext to run it")


def _copy_sources(destination: Path):
    """The files makemessages would read, laid out as in the project."""

    def ignore(directory, names):
        at_root = Path(directory) == BASE_DIR

        def skipped(name):
            path = Path(directory) / name
            return (
                name.startswith(".")
                or name in {"__pycache__", "locale"}
                or (at_root and name in MAKEMESSAGES_IGNORE)
                or (path.is_file() and path.suffix not in SOURCE_SUFFIXES)
            )

        return {name for name in names if skipped(name)}

    shutil.copytree(BASE_DIR, destination, ignore=ignore, symlinks=False)


def test_every_string_of_the_code_is_in_the_catalog(tmp_path, settings, monkeypatch, po_entries):
    _gettext_tools_or_skip()
    project = tmp_path / "project"
    _copy_sources(project)
    locale = tmp_path / "locale"
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(project)
    call_command("makemessages", locale=["en"], domain="django", ignore_patterns=list(
        MAKEMESSAGES_IGNORE), stdout=io.StringIO(), verbosity=0)
    fresh = parse_po(locale / "en" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 100, "makemessages found almost no string: the copy is wrong"
    committed = {e.key for e in po_entries}
    missing = sorted({e.msgid for e in fresh if e.key not in committed})
    assert not missing, (
        f"{len(missing)} French string(s) of the code have no English translation; run "
        f"`manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var "
        f"--ignore=tests --ignore=bench`, translate them in {PO_PATH.relative_to(BASE_DIR)}, "
        f"then `manage.py compilemessages -l en --ignore=.venv`: {missing}"
    )
    plurals = {e.key: e.msgid_plural for e in po_entries}
    changed = sorted(e.msgid for e in fresh if plurals.get(e.key) != e.msgid_plural)
    assert not changed, f"plural forms changed in the code, update the catalog: {changed}"


# --- (d) the portal really speaks English ----------------------------------------------------


def test_gettext_answers_in_english():
    with translation.override("en"):
        assert translation.gettext("Se déconnecter") == "Log out"
        assert translation.gettext("Passer des commandes") == "Place orders"
        assert translation.ngettext(
            "%(counter)s procédure trouvée pour « %(query)s ».",
            "%(counter)s procédures trouvées pour « %(query)s ».", 2,
        ) % {"counter": 2, "query": "x"} == "2 procedures found for “x”."
    with translation.override("fr"):
        assert translation.gettext("Se déconnecter") == "Se déconnecter"


@pytest.fixture
def pages(db):
    return portal_pages_ensure()


@pytest.mark.django_db
def test_login_page_in_english(client, pages):
    content = client.get("/connexion/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in content
    assert "Log in" in content
    assert "Forgot your password?" in content
    assert "Se connecter" not in content
    assert "Mot de passe oublié" not in content


@pytest.mark.django_db
def test_login_page_is_french_by_default(client, pages):
    content = client.get("/connexion/").content.decode()
    assert 'lang="fr"' in content
    assert "Se connecter" in content


@pytest.mark.django_db
def test_language_switch_makes_the_404_page_english(client, pages):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/connexion/"})
    assert response.status_code == 302
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert 'lang="en"' in content
    assert "Page not found" in content
    assert "Back to the home page" in content
    assert "Page introuvable" not in content


@pytest.mark.django_db
def test_login_error_in_english(client, pages, dupond):
    response = client.post(
        "/connexion/", {"username": dupond.email, "password": DEMO_PASSWORD + "-faux"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Incorrect email address or password" in content
    assert "Adresse e-mail ou mot de passe incorrect" not in content
    assert "Email address" in content
