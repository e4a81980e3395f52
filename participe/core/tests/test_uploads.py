"""Uploaded files are judged by their bytes, and images are re-encoded without their EXIF data."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from participe.core.uploads import check_document, clean_image

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("rapport.txt", PDF, "application/pdf"),  # named .txt, is a PDF
        ("photo.pdf", PNG, "image/png"),  # named .pdf, is a PNG
        ("deliberation.odt", ZIP, "application/zip"),
        ("habitants.csv", "nom;prénom\nDupont;Élodie\n".encode(), "text/csv"),
        ("lisez-moi.TXT", "Bonjour à tous".encode(), "text/plain"),
    ],
)
def test_it_detects_the_type_from_the_content(name, content, expected):
    assert check_document(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    "name, content",
    [
        ("rapport.pdf", EXE),  # an executable renamed .pdf
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("habitants.csv", b"\xff\xfe\x00\x01binary\x80\x81"),  # .csv that is not text
        ("programme.exe", EXE),
        ("sans-extension", b"du texte"),
    ],
)
def test_it_refuses_what_it_does_not_recognise(name, content):
    with pytest.raises(ValidationError) as excinfo:
        check_document(SimpleUploadedFile(name, content))
    assert "Ce type de fichier n'est pas accepté" in excinfo.value.messages[0]


def test_it_leaves_the_file_ready_to_be_read_from_the_start():
    upload = SimpleUploadedFile("rapport.pdf", PDF)
    check_document(upload)
    assert upload.read() == PDF


def test_it_refuses_a_file_over_the_size_limit_with_a_clear_message(settings):
    settings.PARTICIPE_MAX_UPLOAD_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("gros.pdf", PDF + b"0" * (1024 * 1024 + 512 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        check_document(upload)
    assert excinfo.value.messages == ["Ce fichier pèse 1,5 Mo ; la limite est de 1 Mo."]


def jpeg_with_gps(size: tuple[int, int] = (64, 32), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Appareil"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 21.0, 3.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_it_builds_a_jpeg_that_really_carries_gps_coordinates():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (48.0, 51.0, 24.0)


def test_it_strips_exif_and_gps_from_an_image():
    cleaned = clean_image(SimpleUploadedFile("vacances.jpeg", jpeg_with_gps()))
    data = cleaned.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in data
    assert cleaned.name == "vacances.jpg"
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.size == len(data)


def test_it_applies_the_exif_orientation_before_dropping_it():
    cleaned = clean_image(SimpleUploadedFile("portrait.jpg", jpeg_with_gps(size=(64, 32), orientation=6)))
    assert Image.open(cleaned).size == (32, 64)


def test_it_bounds_the_size_of_an_image():
    cleaned = clean_image(SimpleUploadedFile("grande.jpg", jpeg_with_gps(size=(400, 100))), max_side=200)
    assert Image.open(cleaned).size == (200, 50)


def test_it_keeps_transparency_as_png():
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, format="PNG")
    cleaned = clean_image(SimpleUploadedFile("logo.png", buffer.getvalue()))
    assert cleaned.content_type == "image/png"
    assert Image.open(cleaned).mode == "RGBA"


@pytest.mark.parametrize("content", [PDF, b"", b"\xff\xd8\xff\xe0 truncated jpeg"])
def test_it_refuses_what_is_not_an_image(content):
    with pytest.raises(ValidationError) as excinfo:
        clean_image(SimpleUploadedFile("photo.jpg", content))
    assert "illisible" in excinfo.value.messages[0]
