"""Renderers are pure: data in, bytes out."""

from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(*, template: str, context: dict, base_url: str | None = None) -> bytes:
    """A PDF from a Django template (WeasyPrint)."""
    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()
