import rules

from portal_api.accounts.rules import has_right, is_staff_member, is_technician

rules.add_perm("catalog.browse_catalog",
               has_right("can_view_catalog") | is_technician | is_staff_member)
