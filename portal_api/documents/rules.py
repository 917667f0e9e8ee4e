import rules

from portal_api.accounts.rules import has_right, is_own_company, is_staff_member


@rules.predicate
def is_not_reserved_to_another(user, document) -> bool:
    return document is None or document.owner_id in (None, user.pk)


rules.add_perm(
    "documents.view_documents",
    is_staff_member
    | (has_right("can_view_documents") & is_own_company & is_not_reserved_to_another),
)
