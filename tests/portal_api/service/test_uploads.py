"""documents/uploads.py: types checked by content, size and count limits, images re-encoded
(orientation applied, metadata stripped, longest side capped)."""

import io

import pytest
from PIL import Image

from portal_api.common.errors import ServiceError
from portal_api.documents.models import DocumentKind
from portal_api.documents.uploads import upload_validate


def refused(files, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        upload_validate(files=files, field=kwargs.pop("field", "attachments"), **kwargs)
    return exc.value


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_jpg_that_is_really_html_is_refused(files):
    html = files.upload("photo.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "image/jpeg")
    error = refused([files.jpeg("ok.jpg"), html])
    assert error.status_code == 400
    assert list(error.fields) == ["attachments"]
    [message] = error.fields["attachments"]
    assert "photo.jpg" in message and "ni une image" in message


def test_an_exe_named_pdf_is_refused(files):
    error = refused([files.upload("notice.pdf", b"MZ\x90\x00" + b"\x00" * 60)])
    assert "notice.pdf" in error.fields["attachments"][0]


def test_a_truncated_image_is_refused(files):
    broken = files.image("JPEG", size=(400, 300))[:300]
    error = refused([files.upload("casse.jpg", broken)])
    assert "casse.jpg" in error.fields["attachments"][0]
    assert "illisible" in error.fields["attachments"][0]


def test_empty_file_is_refused(files):
    assert "vide" in refused([files.upload("rien.jpg", b"")]).fields["attachments"][0]


def test_oversize_is_refused_and_named(files, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    big = files.upload("gros.pdf", files.pdf_bytes + b"0" * 3000)
    error = refused([files.pdf("petit.pdf"), big])
    assert error.fields["attachments"] == [
        "« gros.pdf » dépasse la taille maximale de 2 Ko."]


def test_too_many_files(files, settings):
    settings.UPLOAD_MAX_FILES = 2
    error = refused([files.jpeg(), files.jpeg(), files.pdf()], field="files")
    assert error.code == "too_many_files"
    assert "2 au plus" in error.fields["files"][0]


def test_every_refused_file_is_named(files):
    error = refused([files.upload("a.jpg", b"<html>"), files.upload("b.png", b"GIF8")])
    assert len(error.fields["attachments"]) == 2
    assert "a.jpg" in error.fields["attachments"][0] and "b.png" in error.fields["attachments"][1]


def test_pdf_accepted_as_is(files):
    [clean] = upload_validate(files=[files.pdf("Notice chaudière.pdf")], field="attachments")
    assert clean.content == files.pdf_bytes
    assert (clean.content_type, clean.kind) == ("application/pdf", DocumentKind.ATTACHMENT)
    assert clean.filename == "Notice-chaudiere.pdf"


def test_pdf_refused_where_only_images_are(files):
    error = refused([files.pdf()], allowed=("image",), field="signature")
    assert "n'est pas une image" in error.fields["signature"][0]


def test_png_is_re_encoded_without_its_text_chunks(files):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Secret Person")
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (10, 200, 10, 128)).save(buffer, format="PNG", pnginfo=info)
    original = buffer.getvalue()
    [clean] = upload_validate(files=[files.upload("schema.png", original)], field="f")
    assert clean.content != original and b"Secret Person" not in clean.content
    image = opened(clean.content)
    assert (image.format, image.size, image.mode) == ("PNG", (30, 20), "RGBA")
    assert (clean.content_type, clean.kind) == ("image/png", DocumentKind.PHOTO)


def test_jpeg_orientation_applied_then_exif_stripped(files):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # GPS
    content = files.image("JPEG", size=(80, 40), exif=exif.tobytes())
    assert opened(content).getexif().get(0x0112) == 6
    [clean] = upload_validate(files=[files.upload("IMG_0001.JPG", content)], field="f")
    image = opened(clean.content)
    assert image.size == (40, 80)  # turned upright
    assert not image.getexif() and b"PhoneMaker" not in clean.content
    assert clean.filename == "IMG_0001.jpg" and clean.content_type == "image/jpeg"


def test_longest_side_is_capped(files, settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 100
    [jpeg, webp] = upload_validate(files=[
        files.upload("grand.jpg", files.image("JPEG", size=(1000, 500))),
        files.upload("grand.webp", files.image("WEBP", size=(300, 600))),
    ], field="f")
    assert opened(jpeg.content).size == (100, 50)
    assert opened(webp.content).size == (50, 100) and webp.content_type == "image/webp"


def test_gif_becomes_png_and_the_name_follows_the_content(files):
    [clean] = upload_validate(
        files=[files.upload("../../etc/animation.jpg", files.image("GIF"))], field="f")
    assert clean.filename == "animation.png" and clean.content_type == "image/png"
    assert opened(clean.content).format == "PNG"


def test_decompression_bomb_refused_before_decoding(files):
    buffer = io.BytesIO()
    Image.new("1", (12000, 11000)).save(buffer, format="PNG")
    error = refused([files.upload("bombe.png", buffer.getvalue())])
    assert "bombe.png" in error.fields["attachments"][0]
