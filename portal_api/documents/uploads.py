"""Files sent by users (request photos, intervention photos, receipts, signatures) checked
before anything is stored.

The type is decided by the content, never by the name or the browser's word: an image is
opened and re-encoded by Pillow (which also applies the EXIF orientation, drops the EXIF data —
GPS position, camera serial — and caps the longest side), a PDF must start with its `%PDF-`
header and be parsed by pypdf; anything else is refused. Count and size are limited by
settings.UPLOAD_MAX_FILES and settings.UPLOAD_MAX_BYTES.

Hostile files (issue 11):
- an image's pixel count is read from its header before anything is decoded, and refused
  above settings.UPLOAD_IMAGE_MAX_PIXELS (a "decompression bomb": a few hundred kilobytes
  that take gigabytes and seconds once decoded); the pixels one request decodes are bounded
  by settings.UPLOAD_REQUEST_MAX_PIXELS;
- a truncated or damaged image is refused (verified, then decoded strictly), never stored
  with a grey bottom;
- a PDF that is encrypted, that pypdf cannot parse, or that carries active content
  (JavaScript, launch or form-submit actions, automatic actions, embedded files, multimedia)
  is refused.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from portal_api.common.errors import ServiceError

from .models import DocumentKind

IMAGE, PDF = "image", "pdf"
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


class _PixelBudget:
    """The pixels one request may still decode (settings.UPLOAD_REQUEST_MAX_PIXELS)."""

    def __init__(self, pixels: int):
        self.left = pixels

    def spend(self, pixels: int, *, name: str) -> None:
        if pixels > self.left:
            raise _Refused(_("« %(name)s » : les images envoyées ensemble sont trop grandes ; "
                             "envoyez-les en plusieurs fois.") % {"name": name})
        self.left -= pixels


# WeasyPrint, once imported (the PDF renderers), sets Pillow's process-wide
# ImageFile.LOAD_TRUNCATED_IMAGES, under which a truncated upload decodes "successfully" with
# its missing part grey. Pillow reads the flag at each decode, so it is turned off around ours;
# the lock keeps two uploads of one process from restoring it under each other.
_STRICT_DECODING = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    with _STRICT_DECODING:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _too_large(name: str, width: int | None = None, height: int | None = None) -> _Refused:
    if width is None:
        return _Refused(_("« %(name)s » est une image trop grande.") % {"name": name})
    return _Refused(_("« %(name)s » est une image trop grande (%(w)d × %(h)d pixels ; "
                      "%(max)s millions au plus).")
                    % {"name": name, "w": width, "h": height,
                       "max": f"{settings.UPLOAD_IMAGE_MAX_PIXELS / 1e6:g}".replace(".", ",")})


def _decode(content: bytes, *, source_format: str, name: str,
            budget: _PixelBudget) -> Image.Image:
    """The image decoded, after its header (size) and its structure were checked."""
    unreadable = _Refused(_("« %(name)s » est une image illisible ou endommagée.")
                          % {"name": name})
    max_side = settings.UPLOAD_IMAGE_MAX_SIDE
    try:
        with warnings.catch_warnings(), _strict_decoding():
            # Pillow's own bomb guard (a warning above Image.MAX_IMAGE_PIXELS, an error above
            # twice that) is an error here; ours, lower, comes first in the common case.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads the header only: the size is known before any pixel is decoded.
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format != source_format:
                    raise unreadable
                width, height = probe.size
                if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise _too_large(name, width, height)
                # The whole structure, without decoding (PNG: every chunk and its checksum).
                probe.verify()
            image = Image.open(io.BytesIO(content))
            if source_format == "JPEG":
                image.draft("RGB", (max_side, max_side))  # decode at a reduced scale
            budget.spend(image.size[0] * image.size[1], name=name)
            image.load()  # strict: a truncated file is an error
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            return image
    except _Refused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _too_large(name) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError,
            TypeError, KeyError, MemoryError) as exc:
        raise unreadable from exc


def _reencode(content: bytes, *, source_format: str, name: str,
              budget: _PixelBudget) -> tuple[bytes, str, str]:
    """Decode the image and write a fresh one: orientation applied, metadata gone, longest
    side capped. Returns (content, content type, extension)."""
    image = _decode(content, source_format=source_format, name=name, budget=budget)
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


# What a PDF may not carry: its viewer would run or open something. Keys of any dictionary...
_PDF_ACTIVE_KEYS = frozenset({
    "/JS", "/JavaScript",  # scripts, and the document's name tree of scripts
    "/AA",  # automatic actions (on open, close, page view, field focus…)
    "/EmbeddedFile", "/EmbeddedFiles",  # files inside the PDF
    "/RichMedia", "/XFA",  # Flash-era multimedia, XML forms with their own scripting
})
# ...and kinds of action (/S), wherever they are: on open (/OpenAction), links, form fields.
_PDF_ACTIVE_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR",
    "/RichMediaExecute", "/Rendition", "/Movie", "/Sound",
})
# A PDF with more objects than this is not a scan or a notice: refused rather than walked.
_PDF_MAX_OBJECTS = 500_000


def _pdf_active_content(reader) -> str | None:
    """The first active content reachable from the PDF's trailer (the catalog, pages,
    annotations, forms, name trees…), or None. Streams' data are not decoded: only the
    dictionaries that say what a viewer does."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > _PDF_MAX_OBJECTS:
                return "objects"
            stack.append(value.get_object())
        elif isinstance(value, DictionaryObject):
            for name in value:
                if name in _PDF_ACTIVE_KEYS:
                    return str(name)
            action = value.get("/S")
            if action in _PDF_ACTIVE_ACTIONS:
                return str(action)
            if value.get("/Type") == "/Filespec" and "/EF" in value:
                return "/EF"
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return None


def _check_pdf(content: bytes, *, name: str) -> None:
    """Parse the PDF (pypdf): refuse it if encrypted, unparseable, or active."""
    import logging

    from pypdf import PdfReader

    unreadable = _Refused(_("« %(name)s » est un PDF illisible ou endommagé.") % {"name": name})
    # pypdf logs every oddity it repairs; a refused file is reported to the user instead.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise _Refused(_("« %(name)s » est un PDF protégé (chiffré ou par mot de passe) : "
                             "envoyez-le sans protection.") % {"name": name})
        len(reader.pages)  # the page tree parses
        active = _pdf_active_content(reader)
    except _Refused:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a malformed file
        raise unreadable from exc
    finally:
        pypdf_logger.setLevel(level)
    if active is not None:
        raise _Refused(_("« %(name)s » est un PDF avec du contenu actif (JavaScript, actions "
                         "automatiques, fichiers joints…) : il ne peut pas être accepté.")
                       % {"name": name})


def _allowed_message(name: str, allowed: tuple[str, ...]) -> str:
    if IMAGE in allowed and PDF in allowed:
        return _("« %(name)s » n'est ni une image (JPEG, PNG, WebP, GIF) ni un PDF.") % {
            "name": name}
    if IMAGE in allowed:
        return _("« %(name)s » n'est pas une image (JPEG, PNG, WebP, GIF).") % {"name": name}
    return _("« %(name)s » n'est pas un PDF.") % {"name": name}


def upload_clean(upload, *, allowed: tuple[str, ...] = (IMAGE, PDF),
                 max_bytes: int | None = None, budget: _PixelBudget | None = None
                 ) -> CleanUpload:
    """Check one file; raises _Refused with a French message naming it. `budget`: the pixels
    left to decode in this request (one request's allowance by default)."""
    name = os.path.basename(str(getattr(upload, "name", "") or "")) or _("fichier sans nom")
    content = _read(upload, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES, name=name)
    detected = _sniff(content[:16])
    if detected == "PDF" and PDF in allowed:
        _check_pdf(content, name=name)
        return CleanUpload(filename=_safe_filename(name, extension="pdf"), content=content,
                           content_type="application/pdf", kind=DocumentKind.ATTACHMENT)
    if detected in _IMAGE_OUTPUT and IMAGE in allowed:
        if budget is None:
            budget = _PixelBudget(settings.UPLOAD_REQUEST_MAX_PIXELS)
        content, content_type, extension = _reencode(content, source_format=detected,
                                                     name=name, budget=budget)
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
    budget = _PixelBudget(settings.UPLOAD_REQUEST_MAX_PIXELS)
    for upload in files:
        try:
            cleaned.append(upload_clean(upload, allowed=allowed, budget=budget))
        except _Refused as refused:
            errors.append(str(refused))
    if errors:
        message = errors[0] if len(errors) == 1 else _(
            "%(count)d fichiers ont été refusés.") % {"count": len(errors)}
        raise ServiceError(message, code="invalid_file", fields={field: errors})
    return cleaned
