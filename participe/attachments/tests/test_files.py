"""Content sniffing and image re-encoding: the type comes from the bytes, never from the name."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from participe.attachments import files
from participe.attachments.tests.factories import (
    docx_bytes,
    jpeg_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
        ("PHOTO.JPEG", jpeg_bytes(), "image/jpeg"),
        ("plan.png", png_bytes(), "image/png"),
        ("compte-rendu.pdf", pdf_bytes(), "application/pdf"),
        ("note.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("note.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("budget.csv", "quartier;montant\nCentre;1 200 €\n".encode(), "text/csv"),
        ("budget.csv", "quartier;montant\nGare;1 200 €\n".encode("cp1252"), "text/csv"),
        ("lisez-moi.txt", b"Bonjour", "text/plain"),
        ("sans-extension", pdf_bytes(), "application/pdf"),
    ],
)
def test_it_recognises_accepted_types_from_their_content(name, content, mime):
    assert files.detect(upload(name, content)).mime_type == mime


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("programme.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("page.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("dessin.csv", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("archive.docx", zip_bytes({"virus.exe": b"MZ"})),
        ("macro.docx", docx_bytes(macros=True)),
        ("macro.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/script.xml": b"x"})),
        ("faux.odt", zip_bytes({"mimetype": b"text/html"})),
        ("binaire.csv", b"a;b\x00\x01\x02"),
        ("outil.sh", b"echo bonjour"),
    ],
)
def test_it_refuses_programs_markup_and_unknown_content(name, content):
    with pytest.raises(ValidationError) as exc:
        files.detect(upload(name, content, "image/jpeg"))
    assert "n'est pas accepté" in exc.value.messages[0]


def test_it_refuses_a_png_renamed_pdf():
    with pytest.raises(ValidationError) as exc:
        files.detect(upload("rapport.pdf", png_bytes(), "application/pdf"))
    assert exc.value.messages == ["Le contenu de ce fichier (PNG) ne correspond pas à son extension « .pdf »."]


def test_it_refuses_files_over_the_limit_of_their_kind(settings):
    settings.PARTICIPE_MAX_IMAGE_MB = 1
    settings.PARTICIPE_MAX_DOCUMENT_MB = 2
    big_pdf = pdf_bytes(padding=int(1.5 * 1_048_576))
    assert files.detect(upload("gros.pdf", big_pdf)).kind == "document"
    image = upload("photo.jpg", jpeg_bytes())
    image.size = int(1.5 * 1_048_576)  # the limit is read from the upload's size, as Django reports it
    with pytest.raises(ValidationError) as exc:
        files.detect(image)
    assert exc.value.messages == ["Ce fichier pèse 1,5 Mo ; la limite est de 1 Mo."]
    with pytest.raises(ValidationError, match="la limite est de 2 Mo"):
        files.detect(upload("enorme.pdf", pdf_bytes(padding=3 * 1_048_576)))


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="vide"):
        files.detect(upload("vide.pdf", b""))


def test_it_reencodes_a_jpeg_without_exif_and_applies_its_orientation():
    prepared = files.prepare_image(upload("photo.jpg", jpeg_bytes(800, 600, orientation=6)), "image/jpeg")
    image = Image.open(io.BytesIO(prepared.content))
    assert image.format == "JPEG"
    assert (image.width, image.height) == (600, 800)  # rotated as the phone meant it
    assert (prepared.width, prepared.height) == (600, 800)
    assert dict(image.getexif()) == {}
    assert b"Exif" not in prepared.content
    thumb = Image.open(io.BytesIO(prepared.thumbnail))
    assert max(thumb.size) == 480
    assert dict(thumb.getexif()) == {}


def test_it_bounds_the_dimensions_and_keeps_transparency(settings):
    settings.PARTICIPE_ATTACHMENT_IMAGE_MAX_SIDE = 100
    prepared = files.prepare_image(upload("plan.png", png_bytes(300, 200)), "image/png")
    image = Image.open(io.BytesIO(prepared.content))
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (100, 67))


def test_it_refuses_a_truncated_image_and_a_decompression_bomb(settings):
    with pytest.raises(ValidationError, match="illisible"):
        files.prepare_image(upload("photo.jpg", jpeg_bytes()[:200]), "image/jpeg")
    settings.PARTICIPE_ATTACHMENT_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="trop de pixels"):
        files.prepare_image(upload("plan.png", png_bytes(100, 100)), "image/png")


@pytest.mark.parametrize(
    ("size", "label"),
    [(500, "500 octets"), (2048, "2 Ko"), (1_258_291, "1,2 Mo"), (20 * 1_048_576, "20 Mo")],
)
def test_it_formats_sizes_in_french(size, label):
    assert files.format_size(size) == label


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def test_webp_stays_webp_and_gif_becomes_png():
    webp = encoded(Image.new("RGB", (50, 40), "green"), "WEBP", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
    assert files.detect(upload("photo.webp", webp)).mime_type == "image/webp"
    prepared = files.prepare_image(upload("photo.webp", webp), "image/webp")
    assert (prepared.mime_type, prepared.extension) == ("image/webp", "webp")
    assert Image.open(io.BytesIO(prepared.content)).format == "WEBP"
    gif = encoded(Image.new("P", (30, 30), 1), "GIF")
    assert files.detect(upload("anim.gif", gif)).kind == "image"
    prepared = files.prepare_image(upload("anim.gif", gif), "image/gif")
    assert (prepared.mime_type, prepared.extension) == ("image/png", "png")


def test_a_cmyk_jpeg_is_converted_to_rgb():
    cmyk = encoded(Image.new("CMYK", (40, 40), (0, 50, 50, 0)), "JPEG")
    image = Image.open(io.BytesIO(files.prepare_image(upload("print.jpg", cmyk), "image/jpeg").content))
    assert image.mode == "RGB"


def test_xmp_and_comments_are_dropped_too():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>48,51.4N</exif:GPSLatitude></x:xmpmeta>'
    source = encoded(Image.new("RGB", (40, 40), "blue"), "JPEG", xmp=xmp, comment=b"Rue des Lilas")
    assert b"GPSLatitude" in source and b"Rue des Lilas" in source
    prepared = files.prepare_image(upload("photo.jpg", source), "image/jpeg")
    assert b"GPSLatitude" not in prepared.content and b"Rue des Lilas" not in prepared.content
    assert b"GPSLatitude" not in prepared.thumbnail
