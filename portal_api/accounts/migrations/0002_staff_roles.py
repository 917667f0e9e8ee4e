"""The staff roles' groups (portal_api/accounts/roles.py): `migrate` alone gives a working
install, with a dispatcher, sales, content-editor and administrator role to assign."""

from django.db import migrations


def create_staff_roles(apps, schema_editor):
    from portal_api.accounts.services import staff_role_groups_ensure

    staff_role_groups_ensure(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtailadmin", "__latest__"),
        ("orders", "__latest__"),
        ("billing", "__latest__"),
        ("service", "__latest__"),
        ("documents", "__latest__"),
        ("catalog", "__latest__"),
        ("exports", "__latest__"),
        ("dashboards", "__latest__"),
        ("cms", "__latest__"),
    ]

    operations = [migrations.RunPython(create_staff_roles, migrations.RunPython.noop)]
