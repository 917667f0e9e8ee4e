from django.db import transaction

from .models import NumberSequence


def number_sequence_next(*, name: str, year: int) -> int:
    """Take the next number of a sequence. Must run inside the caller's transaction: the
    number is only consumed if that transaction commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_sequence_next must be called inside a transaction")
    # Create the row without racing (a concurrent creator makes this a no-op), then lock it.
    NumberSequence.objects.bulk_create(
        [NumberSequence(name=name, year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(name=name, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value
