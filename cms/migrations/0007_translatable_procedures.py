"""Procedure categories and procedure downloads become translatable (wagtail-localize): each
row gets a locale and a translation key. Existing rows are in the default language; a
category's name is unique per language from now on. A footer link may point to a page (shown
in the visitor's language)."""

import uuid

import wagtail.fields

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_rows_in_the_default_language(apps, schema_editor):
    from wagtail.coreutils import get_supported_content_language_variant

    Locale = apps.get_model("wagtailcore", "Locale")
    for name in ("ProcedureCategory", "ProcedureDocument"):
        model = apps.get_model("cms", name)
        rows = list(model.objects.filter(locale__isnull=True))
        if not rows:
            continue
        locale, _ = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        for row in rows:
            row.locale = locale
            row.translation_key = uuid.uuid4()
            row.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0006_home_page_content"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="procedurecategory", name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="procedurecategory", name="locale",
            field=models.ForeignKey(editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="wagtailcore.locale",
                                    verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="proceduredocument", name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="proceduredocument", name="locale",
            field=models.ForeignKey(editable=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="wagtailcore.locale",
                                    verbose_name="locale"),
        ),
        migrations.RunPython(existing_rows_in_the_default_language, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="procedurecategory", name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="procedurecategory", name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="wagtailcore.locale",
                                    verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="proceduredocument", name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="proceduredocument", name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="wagtailcore.locale",
                                    verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="procedurecategory", name="name",
            field=models.CharField(max_length=120, verbose_name="nom"),
        ),
        migrations.AlterUniqueTogether(
            name="procedurecategory",
            unique_together={("translation_key", "locale"), ("name", "locale")},
        ),
        migrations.AlterUniqueTogether(
            name="proceduredocument",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AlterField(
            model_name="brandingsettings",
            name="footer_links",
            field=wagtail.fields.StreamField(
                [("link", 3)], blank=True,
                block_lookup={
                    0: ("wagtail.blocks.PageChooserBlock", (),
                        {"label": "page", "required": False}),
                    1: ("wagtail.blocks.CharBlock", (),
                        {"help_text": "Pour une adresse. Une page s'affiche avec son titre "
                                      "dans la langue du visiteur.",
                         "label": "libellé", "required": False}),
                    2: ("wagtail.blocks.CharBlock", (),
                        {"label": "adresse (URL ou chemin)", "required": False}),
                    3: ("wagtail.blocks.StructBlock",
                        [[("page", 0), ("label", 1), ("url", 2)]], {}),
                },
                verbose_name="liens du pied de page"),
        ),
    ]
