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


def fields_take_their_own_type() -> None:
    """DRF turns a JSON number into text (`"last_name": 0` is saved as "0") and into a boolean
    (`"under_warranty": 0`); the API's text fields take text only and its booleans true or
    false, as its OpenAPI schema says. A form (a multipart upload) carries only text: a
    boolean given as "true"/"false" there is still read as DRF reads it. Installed once, by
    CommonConfig.ready()."""
    from rest_framework import fields

    def strict(field_class, refused):
        lenient = field_class.to_internal_value
        if getattr(lenient, "strict", False):
            return

        def to_internal_value(self, data):
            if refused(data):
                self.fail("invalid")
            return lenient(self, data)

        to_internal_value.strict = True
        field_class.to_internal_value = to_internal_value

    strict(fields.CharField, lambda data: not isinstance(data, str))
    strict(fields.BooleanField, lambda data: isinstance(data, (int, float))
           and not isinstance(data, bool))
