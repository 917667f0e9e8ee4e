"""Files sent by users (request photos, intervention photos, receipts, signatures) checked
before anything is stored.

The type is decided by the content, never by the name or the browser's word: an image is
opened and re-encoded by Pillow (which also applies the EXIF orientation, drops the EXIF data —
GPS position, camera serial — and caps the longest side), a PDF must start with its `%PDF-`
header; anything else is refused. Count and size are limited by settings.UPLOAD_MAX_FILES and
settings.UPLOAD_MAX_BYTES.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal_api.common.errors import ServiceError

from .models import DocumentKind

IMAGE, PDF = "image", "pdf"
# Beyond this many pixels an image is refused before being decoded (a "decompression bomb":
# a few kilobytes that would take gigabytes once opened).
MAX_IMAGE_PIXELS = 120_000_000
JPEG_QUALITY = 85

# What each accepted image format is stored as: (Pillow format, content type, extension).
_IMAGE_OUTPUT = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),  # first frame, as a PNG
}


@dataclass(frozen=True)
class CleanUpload:
    """A checked file, ready for documents.services.document_create."""

    filename: str
    content: bytes
    content_type: str
    kind: str  # DocumentKind.PHOTO or DocumentKind.ATTACHMENT

    @property
    def is_image(self) -> bool:
        return self.kind == DocumentKind.PHOTO


class _Refused(Exception):
    pass


def _sniff(head: bytes) -> str | None:
    """The format a file's first bytes announce, whatever its name."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return None


def _safe_filename(name: str, *, extension: str) -> str:
    """A file name safe to store and to send back: no folder, ASCII letters, digits, dashes,
    dots; the extension of what the file really is."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80] or "fichier"
    return f"{stem}.{extension}"


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        value = f"{size / (1024 * 1024):.1f}".replace(".0", "").replace(".", ",")
        return _("%(size)s Mo") % {"size": value}
    return _("%(size)s Ko") % {"size": max(1, round(size / 1024))}


def _read(upload, *, max_bytes: int, name: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _Refused(_("« %(name)s » dépasse la taille maximale de %(max)s.")
                       % {"name": name, "max": _human_size(max_bytes)})
    if hasattr(upload, "seek"):
        with contextlib.suppress(OSError, ValueError):
            upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise _Refused(_("« %(name)s » dépasse la taille maximale de %(max)s.")
                       % {"name": name, "max": _human_size(max_bytes)})
    if not content:
        raise _Refused(_("« %(name)s » est vide.") % {"name": name})
    return content


def _reencode(content: bytes, *, source_format: str, name: str) -> tuple[bytes, str, str]:
    """Decode the image and write a fresh one: orientation applied, metadata gone, longest
    side capped. Returns (content, content type, extension)."""
    unreadable = _("« %(name)s » est une image illisible ou endommagée.") % {"name": name}
    max_side = settings.UPLOAD_IMAGE_MAX_SIDE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format != source_format:
                raise _Refused(unreadable)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _Refused(_("« %(name)s » est une image trop grande (%(w)d × %(h)d).")
                               % {"name": name, "w": width, "h": height})
            if source_format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # decode at a reduced scale
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    except _Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _Refused(unreadable) from exc

    output_format, content_type, extension = _IMAGE_OUTPUT[source_format]
    if output_format == "JPEG":
        image = image.convert("RGB")
        options = {"quality": JPEG_QUALITY, "optimize": True}
    elif output_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        options = {"quality": JPEG_QUALITY}
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        options = {"optimize": True}
    # Nothing of the original's metadata is written (EXIF, XMP, comments, ICC profile, PNG
    # text chunks): only the palette's transparency survives.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    buffer = io.BytesIO()
    image.save(buffer, format=output_format, **options)
    return buffer.getvalue(), content_type, extension


def _allowed_message(name: str, allowed: tuple[str, ...]) -> str:
    if IMAGE in allowed and PDF in allowed:
        return _("« %(name)s » n'est ni une image (JPEG, PNG, WebP, GIF) ni un PDF.") % {
            "name": name}
    if IMAGE in allowed:
        return _("« %(name)s » n'est pas une image (JPEG, PNG, WebP, GIF).") % {"name": name}
    return _("« %(name)s » n'est pas un PDF.") % {"name": name}


def upload_clean(upload, *, allowed: tuple[str, ...] = (IMAGE, PDF),
                 max_bytes: int | None = None) -> CleanUpload:
    """Check one file; raises _Refused with a French message naming it."""
    name = os.path.basename(str(getattr(upload, "name", "") or "")) or _("fichier sans nom")
    content = _read(upload, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES, name=name)
    detected = _sniff(content[:16])
    if detected == "PDF" and PDF in allowed:
        return CleanUpload(filename=_safe_filename(name, extension="pdf"), content=content,
                           content_type="application/pdf", kind=DocumentKind.ATTACHMENT)
    if detected in _IMAGE_OUTPUT and IMAGE in allowed:
        content, content_type, extension = _reencode(content, source_format=detected,
                                                     name=name)
        return CleanUpload(filename=_safe_filename(name, extension=extension),
                           content=content, content_type=content_type,
                           kind=DocumentKind.PHOTO)
    raise _Refused(_allowed_message(name, allowed))


def upload_validate(*, files: Iterable, field: str,
                    allowed: tuple[str, ...] = (IMAGE, PDF)) -> list[CleanUpload]:
    """Check every file sent in one field and return them cleaned, or refuse them all with a
    ServiceError naming each refused file under `field`."""
    files = [f for f in (files or ()) if f is not None]
    maximum = settings.UPLOAD_MAX_FILES
    if len(files) > maximum:
        message = _("Trop de fichiers : %(max)d au plus (vous en avez envoyé %(count)d).") % {
            "max": maximum, "count": len(files)}
        raise ServiceError(message, code="too_many_files", fields={field: [message]})
    cleaned: list[CleanUpload] = []
    errors: list[str] = []
    for upload in files:
        try:
            cleaned.append(upload_clean(upload, allowed=allowed))
        except _Refused as refused:
            errors.append(str(refused))
    if errors:
        message = errors[0] if len(errors) == 1 else _(
            "%(count)d fichiers ont été refusés.") % {"count": len(errors)}
        raise ServiceError(message, code="invalid_file", fields={field: errors})
    return cleaned
