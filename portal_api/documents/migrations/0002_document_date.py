"""Each stored file gets its own date (document_date), backfilled from its source: an
invoice's issue date, an order's placement, an intervention report's signature (else its end),
a contract's start; any other file keeps the day it was stored."""

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 500


def _day(value):
    """A DateField's value as is; an aware DateTimeField's as its day in Paris time."""
    if value is None or not hasattr(value, "hour"):
        return value
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def backfill(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    ContentType = apps.get_model("contenttypes", "ContentType")
    sources = {
        ("billing", "invoice"): ("issue_date",),
        ("orders", "order"): ("submitted_at",),
        ("service", "intervention"): ("signed_at", "end_at"),
        ("billing", "contract"): ("start_date",),
    }
    dates_by_type = {}
    for (app_label, model), fields in sources.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        source = apps.get_model(app_label, model)
        ids = (Document.objects.filter(related_type=content_type)
               .values_list("related_id", flat=True).distinct())
        dates = {}
        for row in source.objects.filter(pk__in=ids).values("pk", *fields).iterator():
            day = next((_day(row[f]) for f in fields if row[f] is not None), None)
            if day is not None:
                dates[row["pk"]] = day
        dates_by_type[content_type.pk] = dates
    batch = []
    for document in Document.objects.only("pk", "created_at", "related_type_id",
                                          "related_id").iterator(chunk_size=BATCH):
        day = dates_by_type.get(document.related_type_id, {}).get(document.related_id)
        document.document_date = day or _day(document.created_at)
        batch.append(document)
        if len(batch) >= BATCH:
            Document.objects.bulk_update(batch, ["document_date"])
            batch = []
    if batch:
        Document.objects.bulk_update(batch, ["document_date"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('documents', '0001_initial'),
        # The sources whose dates are copied (the earliest migrations holding those fields).
        ('billing', '0002_initial'),
        ('orders', '0001_initial'),
        ('service', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='document',
            options={'ordering': ['-document_date', '-created_at'], 'verbose_name': 'document', 'verbose_name_plural': 'documents (GED)'},
        ),
        migrations.AddField(
            model_name='document',
            name='document_date',
            field=models.DateField(db_index=True, default=django.utils.timezone.localdate, verbose_name='date du document'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['client_account', '-document_date', '-created_at'], name='document_account_date_idx'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
