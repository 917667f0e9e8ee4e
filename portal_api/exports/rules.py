"""Who may do what with exports. A job is its requester's alone (the selector already hides
other users' jobs: 404); the ZIP of invoice PDFs needs the invoice right."""

import rules


@rules.predicate
def is_job_owner(user, job) -> bool:
    return job is None or job.user_id == user.pk


@rules.predicate
def may_view_invoices(user) -> bool:
    return user.has_perm("billing.view_invoices")


rules.add_perm("exports.view_export", rules.is_authenticated & is_job_owner)
rules.add_perm("exports.request_invoice_zip", rules.is_authenticated & may_view_invoices)
