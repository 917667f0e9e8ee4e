from django.core.files.storage import storages


def private_storage():
    """The storage of every non-public file (GED, PDFs, signatures, exports)."""
    return storages["private"]
