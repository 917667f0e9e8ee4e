import rules

from portal_api.accounts import roles
from portal_api.accounts.rules import (
    has_right,
    is_administrator,
    is_sales_admin,
    is_technician,
    staff_reaches,
)

rules.add_perm("catalog.browse_catalog",
               has_right("can_view_catalog") | is_technician | staff_reaches(roles.CATALOG))
# The catalogue's articles, families, prices and visibility.
rules.add_perm("catalog.manage_catalog", is_administrator | is_sales_admin)
