"""Back-office styles shared by every domain screen (see common/admin_forms.py)."""

from django.utils.safestring import mark_safe
from wagtail import hooks

ADMIN_CSS = """
<style>
  /* Listings: the first column (number, reference…) stays on one line. */
  td.portal-title .title-wrapper, td.portal-nowrap { white-space: nowrap; }
  /* Read-only listings of child rows (order lines, time entries…). */
  .portal-related { overflow-x: auto; }
  .portal-related__table { width: 100%; }
  .portal-related__table th, .portal-related__table td {
    padding: 0.5rem 0.75rem; vertical-align: top; text-align: start;
  }
  .portal-related__table .portal-related__num { text-align: end; white-space: nowrap; }
</style>
"""


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    return mark_safe(ADMIN_CSS)  # noqa: S308 - a constant
