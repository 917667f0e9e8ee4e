"""documents/uploads.py against hostile files (issue 11): decompression bombs, truncated and
damaged images, the pixels of one request, PDFs that are encrypted, unparseable or active;
and, through the API, the oversized body."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from portal_api.common.errors import ServiceError
from portal_api.documents.uploads import upload_validate
from portal_api.service.factories import InterventionFactory
from tests.api_helpers import assert_error


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refused(*files, field="files") -> str:
    with pytest.raises(ServiceError) as exc:
        upload_validate(files=list(files), field=field)
    assert exc.value.status_code == 400
    return " ".join(exc.value.fields[field])


def image(fmt="PNG", size=(400, 300)) -> bytes:
    picture = Image.effect_noise(size, 60).convert("RGB")  # noise: nothing compresses away
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A valid PNG of width × height black pixels: its IDAT compresses to almost nothing
    (9000 × 9000 is about 80 KB), its decoding would take hundreds of megabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + b"\x00" * width  # filter byte + one grey byte per pixel
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def pdf(**catalog_entries) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for key, value in catalog_entries.items():
        writer._root_object[NameObject(f"/{key}")] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Images ------------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = png_bomb(9000, 9000)
    assert len(bomb) < 400_000
    started = time.monotonic()
    message = refused(upload("plan.png", bomb))
    assert time.monotonic() - started < 2  # decoding it would take many seconds
    assert "plan.png" in message and "trop grande" in message and "9000 × 9000" in message


def test_a_bomb_beyond_pillows_own_limit_is_refused_as_too_large():
    message = refused(upload("enorme.png", png_bomb(20000, 20000)))
    assert "enorme.png" in message and "trop grande" in message


def test_the_pixel_budget_is_a_setting(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100 * 100
    assert "trop grande" in refused(upload("photo.png", image(size=(101, 100))))
    [clean] = upload_validate(files=[upload("photo.png", image(size=(100, 100)))], field="f")
    assert clean.content_type == "image/png"


def test_the_pixels_of_one_request_are_bounded(settings):
    settings.UPLOAD_REQUEST_MAX_PIXELS = 3 * 400 * 300
    three = [upload(f"p{n}.png", image()) for n in range(3)]
    assert len(upload_validate(files=three, field="files")) == 3
    four = [upload(f"p{n}.png", image()) for n in range(4)]
    message = refused(*four)
    assert "p3.png" in message and "plusieurs fois" in message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_a_truncated_image_is_refused(fmt):
    # Cut in the middle of its pixel data: the header is whole, the picture is not.
    content = image(fmt)
    message = refused(upload(f"coupee.{fmt.lower()}", content[: len(content) * 2 // 3]))
    assert "coupee" in message and "illisible ou endommagée" in message


def test_a_truncated_image_is_refused_even_after_weasyprint_was_imported():
    import weasyprint  # noqa: F401 - it turns on Pillow's LOAD_TRUNCATED_IMAGES for good
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    content = image("PNG")
    assert "illisible" in refused(upload("coupee.png", content[: len(content) // 2]))
    # ...and WeasyPrint's setting is left as it was.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_damaged_png_is_refused():
    content = bytearray(image("PNG"))
    content[200] ^= 0xFF  # a flipped byte in the pixel data: its checksum no longer matches
    assert "illisible" in refused(upload("abimee.png", bytes(content)))


def test_a_sound_image_still_passes():
    [clean] = upload_validate(files=[upload("photo.jpg", image("JPEG"))], field="f")
    assert clean.content_type == "image/jpeg"


# PDFs --------------------------------------------------------------------------------------


def test_a_plain_pdf_passes_unchanged():
    content = pdf()
    [clean] = upload_validate(files=[upload("notice.pdf", content)], field="f")
    assert clean.content == content and clean.content_type == "application/pdf"


def test_a_pdf_with_javascript_on_open_is_refused():
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hop')")})
    message = refused(upload("facture.pdf", pdf(OpenAction=action)))
    assert "facture.pdf" in message and "contenu actif" in message


def test_a_pdf_with_a_document_level_script_is_refused():
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hop')")})
    names = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})})
    assert "contenu actif" in refused(upload("notice.pdf", pdf(Names=names)))


def test_a_pdf_page_with_an_automatic_action_is_refused():
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
        NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")})})
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "contenu actif" in refused(upload("notice.pdf", buffer.getvalue()))


def test_a_pdf_with_links_passes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_uri(0, "https://www.example.fr/notice", [50, 50, 200, 80])
    buffer = io.BytesIO()
    writer.write(buffer)
    assert upload_validate(files=[upload("notice.pdf", buffer.getvalue())], field="f")


@pytest.mark.parametrize("action", ["/Launch", "/SubmitForm"])
def test_a_pdf_with_a_launch_or_submit_action_is_refused(action):
    opened = DictionaryObject({NameObject("/S"): NameObject(action),
                               NameObject("/F"): TextStringObject("calc.exe")})
    assert "contenu actif" in refused(upload("notice.pdf", pdf(OpenAction=opened)))


def test_a_pdf_with_an_embedded_file_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "contenu actif" in refused(upload("notice.pdf", buffer.getvalue()))


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    message = refused(upload("confidentiel.pdf", buffer.getvalue()))
    assert "confidentiel.pdf" in message and "protégé" in message


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n%%EOF\n",  # a header and nothing else
    b"%PDF-1.4\n" + b"\x00garbage" * 200,
])
def test_an_unparseable_pdf_is_refused(content):
    assert "PDF illisible ou endommagé" in refused(upload("scan.pdf", content))


# Through the API: an oversized body is a 413 in the error shape -----------------------------


@pytest.fixture
def intervention(julie):
    return InterventionFactory(technicians=[julie])


def test_an_oversized_multipart_body_is_a_413_naming_the_limit(api_as, julie, intervention,
                                                               settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 50_000
    response = api_as(julie).post(f"/api/v1/interventions/{intervention.pk}/documents/",
                                  {"files": [upload("gros.png", b"\x89PNG" + b"0" * 60_000)]},
                                  format="multipart")
    error = assert_error(response, 413, "request_too_large")
    assert "49 Ko" in error["message"]


def test_an_oversized_json_body_is_a_413(api_as, julie, intervention, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api_as(julie).patch(f"/api/v1/interventions/{intervention.pk}/",
                                   {"work_done": "x" * 20_000}, format="json")
    error = assert_error(response, 413, "request_too_large")
    assert "10 Ko" in error["message"]


def test_form_fields_read_past_the_limit_are_a_413_not_an_html_400(api_as, julie,
                                                                  intervention, settings):
    # Files may be large, form fields may not: Django finds out while parsing the body.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api_as(julie).post(f"/api/v1/interventions/{intervention.pk}/expenses/",
                                  {"kind": "meal", "date": "2026-05-04", "amount": "12",
                                   "comment": "x" * 20_000}, format="multipart")
    assert response["Content-Type"].startswith("application/json")
    error = assert_error(response, 413, "request_too_large")
    assert "10 Ko" in error["message"]


def test_too_many_form_fields_are_a_400_in_the_error_shape(api_as, julie, intervention,
                                                           settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = api_as(julie).post(f"/api/v1/interventions/{intervention.pk}/expenses/",
                                  {f"champ{n}": "x" for n in range(10)}, format="multipart")
    assert_error(response, 400)


def test_a_bomb_through_the_api_is_a_400_naming_the_file(api_as, julie, intervention):
    response = api_as(julie).post(f"/api/v1/interventions/{intervention.pk}/documents/",
                                  {"files": [upload("plan.png", png_bomb(9000, 9000))]},
                                  format="multipart")
    error = assert_error(response, 400, "invalid_file")
    assert "plan.png" in error["fields"]["files"][0]
