"""The staff roles' groups (portal_api/accounts/roles.py): `migrate` alone gives a working
install, with a dispatcher, sales, content-editor and administrator role to assign."""

from django.db import migrations


def create_staff_roles(apps, schema_editor):
    from portal_api.accounts.services import staff_role_groups_ensure

    staff_role_groups_ensure(apps=apps)


class Migration(migrations.Migration):
    # Named migrations, never "__latest__": a migration added later to one of these apps (or a
    # Wagtail upgrade) would otherwise depend-wise come before this one, already applied, and
    # break `migrate` on every existing installation. The groups' permissions of later models
    # are added after each `migrate` (accounts.signals, post_migrate).
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("orders", "0002_order_placed_notified_at"),
        ("billing", "0002_initial"),
        ("service", "0002_ticket_events_idempotency"),
        ("documents", "0001_initial"),
        ("catalog", "0001_initial"),
        ("exports", "0001_initial"),
        ("dashboards", "0001_initial"),
        ("cms", "0004_page_permission_tickets"),
    ]

    operations = [migrations.RunPython(create_staff_roles, migrations.RunPython.noop)]
