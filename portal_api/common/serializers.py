"""Small pieces the API's serializers share, written for lists of 50 rows built by hand."""


def person_ref(user) -> dict | None:
    """A person as the API shows him beside an object: `{id, name}` (name: full name, else
    e-mail), None when nobody."""
    return {"id": user.pk, "name": user.get_full_name() or user.email} if user else None


def choice_labels(context: dict, key: str, choices) -> dict:
    """The labels of a field's choices, translated once per request and kept in the
    serializer's context under `key` (get_<field>_display() translates and hashes the lazy
    choices again on every call: 20 ms on a page of 50)."""
    labels = context.setdefault(key, {})
    if not labels:
        labels.update((value, str(label)) for value, label in choices)
    return labels
