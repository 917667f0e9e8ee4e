from django.db import migrations, models


def carry_from_requests(apps, schema_editor):
    """Interventions already converted from a request get its urgency and typed serial."""
    Ticket = apps.get_model("service", "Ticket")
    Intervention = apps.get_model("service", "Intervention")
    converted = Ticket.objects.filter(intervention__isnull=False)
    urgent = converted.filter(urgent=True).values("intervention_id")
    Intervention.objects.filter(pk__in=urgent).update(urgent=True)
    typed = converted.exclude(serial_number_typed="").values_list(
        "intervention_id", "serial_number_typed")
    for intervention_id, serial in typed.iterator():
        Intervention.objects.filter(pk=intervention_id).update(serial_number_typed=serial)


class Migration(migrations.Migration):

    dependencies = [
        ("service", "0002_ticket_events_idempotency"),
    ]

    operations = [
        migrations.AddField(
            model_name="intervention",
            name="serial_number_typed",
            field=models.CharField(blank=True, max_length=60, verbose_name="n° de série saisi"),
        ),
        migrations.AddField(
            model_name="intervention",
            name="urgent",
            field=models.BooleanField(default=False, verbose_name="urgent"),
        ),
        migrations.RunPython(carry_from_requests, migrations.RunPython.noop),
    ]
