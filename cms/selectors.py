"""Reads of the page tree, always for one user: what he may see, nothing more; and the
company's branding as its PDFs show it."""

import base64

from django.db.models import QuerySet
from wagtail.models import Locale, Page, PageViewRestriction

from .models import BasePortalPage, ExtranetHomePage, IntranetHomePage, ProcedureDocument


class _RestrictionRequest:
    """The little of a request that Wagtail's accept_request reads: the user and a session
    (password restrictions never pass here)."""

    def __init__(self, user):
        self.user = user
        self.session = {}


def pages_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """Live pages whose view restrictions (audience by group) the user passes."""
    queryset = (queryset if queryset is not None else Page.objects.all()).live()
    request = _RestrictionRequest(user)
    for restriction in PageViewRestriction.objects.select_related("page"):
        if not restriction.accept_request(request):
            queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
    return queryset


def _right_allows(page, user) -> bool:
    return not isinstance(page, BasePortalPage) or page.user_may_see(user)


def page_search(*, user, query: str, limit: int = 50) -> list[Page]:
    """Pages and procedures in the active language matching the query that the user may
    open."""
    queryset = Page.objects.filter(locale=Locale.get_active())
    results = pages_visible_to(user=user, queryset=queryset).specific().search(query)[:limit]
    return [page for page in results if _right_allows(page, user)]


def menu_for(*, user, home: Page) -> list[Page]:
    """The menu entries under an area's home (in its language's tree): children shown in
    menus, visible to the user, minus those gated by a right he lacks."""
    children = pages_visible_to(user=user, queryset=home.get_children().in_menu()).specific()
    return [page for page in children if _right_allows(page, user)]


def area_home_for(*, page: Page | None) -> Page | None:
    """The extranet or intranet home a page belongs to, if any, in the active language (a
    page not yet translated, shown in its own language, still gets the menu of the visitor's
    language)."""
    if page is None:
        return None
    for model in (ExtranetHomePage, IntranetHomePage):
        for home in model.objects.live().filter(locale_id=page.locale_id):
            if page.path.startswith(home.path):
                return home.localized.specific
    return None


def page_url_in_language(*, page_id, language_code: str, user) -> str | None:
    """The address of a page's translation into a language, if the page exists, is translated
    (and live) and the user may see it: where the language switcher lands."""
    try:
        locale = Locale.objects.get_for_language(language_code)
        page = Page.objects.live().get(pk=int(page_id))
    except (Locale.DoesNotExist, LookupError, Page.DoesNotExist, TypeError, ValueError):
        return None
    translation = page.get_translation_or_none(locale)
    if translation is None or not translation.live:
        return None
    visible = pages_visible_to(user=user, queryset=Page.objects.filter(pk=translation.pk))
    translation = visible.specific().first()
    if translation is None or not _right_allows(translation, user):
        return None
    return translation.url


def document_may_be_seen(*, user, document) -> bool:
    """A document attached to procedures is visible if one of those pages is; one attached to
    none follows its collection's restrictions (checked by Wagtail itself)."""
    page_ids = list(ProcedureDocument.objects.filter(document=document)
                    .values_list("page_id", flat=True))
    if not page_ids:
        return True
    visible = pages_visible_to(user=user, queryset=Page.objects.filter(pk__in=page_ids))
    return any(_right_allows(page, user) for page in visible.specific())


def public_pages() -> QuerySet:
    """What the headless API may serve: live pages with no view restriction at all."""
    return Page.objects.live().public()


def public_documents(queryset: QuerySet) -> QuerySet:
    """Documents in a public collection and not attached to any non-public page."""
    from wagtail.models import CollectionViewRestriction

    restricted_collections = CollectionViewRestriction.objects.values_list("collection_id",
                                                                           flat=True)
    private_page_ids = Page.objects.not_public().values_list("pk", flat=True)
    return (queryset.exclude(collection_id__in=restricted_collections)
            .exclude(procedure_links__page_id__in=private_page_ids).distinct())


def pdf_seller() -> dict:
    """The company as its PDFs (invoices, intervention reports) show it: name, contact, legal
    identity (form, capital, SIRET, RCS, VAT number), invoice terms, colours and the logo as
    a data URI (the PDF renderer reads no file or URL itself). Terms left empty fall back to
    what the law applies when nothing is agreed."""
    from .models import (
        DEFAULT_DISCOUNT_TERMS,
        DEFAULT_LATE_PENALTY_RATE,
        BrandingSettings,
    )

    brand = BrandingSettings.load()
    return {
        "name": brand.company_name,
        "address": brand.address,
        "phone": brand.phone,
        "email": brand.email,
        "siret": brand.siret,
        "vat_number": brand.vat_number,
        "legal_form": brand.legal_form,
        "share_capital": brand.share_capital,
        "rcs": brand.rcs,
        "payment_terms": brand.payment_terms,
        "late_penalty_rate": brand.late_penalty_rate or DEFAULT_LATE_PENALTY_RATE,
        "discount_terms": brand.discount_terms or DEFAULT_DISCOUNT_TERMS,
        "primary_color": brand.primary_color,
        "accent_color": brand.accent_color,
        "logo": _logo_data_uri(brand),
    }


def _logo_data_uri(brand) -> str | None:
    if not brand.logo_id:
        return None
    try:
        rendition = brand.logo.get_rendition("max-400x160")
        with rendition.file.open("rb") as handle:
            content = handle.read()
    except Exception:  # a missing image file must not stop an invoice or a report
        return None
    mime = "image/png" if content[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"
