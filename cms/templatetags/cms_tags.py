from django import template

from cms.selectors import area_home_for, menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    """The menu of the area (extranet or intranet) the current page belongs to, in the active
    language, as the user may see it:
    {"home": page, "items": [pages], "current": id of the active entry}."""
    request = context.get("request")
    page = context.get("page")
    home = area_home_for(page=page)
    if home is None or request is None:
        return {"home": None, "items": [], "current": None}
    items = menu_for(user=request.user, home=home)
    # The entry to highlight: the page itself or the menu entry it sits under (for a page not
    # yet translated, the entry whose translation it sits under).
    if page.locale_id == home.locale_id:
        current = next((item.pk for item in items if page.path.startswith(item.path)), home.pk)
    else:
        keys = set(page.get_ancestors(inclusive=True).values_list("translation_key", flat=True))
        current = next((item.pk for item in items if item.translation_key in keys), home.pk)
    return {"home": home, "items": items, "current": current}


@register.simple_tag
def footer_links(brand) -> list[dict]:
    """The footer's links as the visitor reads them: a page by its title and address in the
    active language (its translation, when live), an address by its label."""
    links = []
    for block in brand.footer_links:
        value = block.value
        page = value.get("page")
        if page is not None:
            page = page.localized
            if page.live:
                links.append({"label": page.title, "url": page.url})
        elif value.get("url"):
            links.append({"label": value.get("label") or value["url"], "url": value["url"]})
    return links
