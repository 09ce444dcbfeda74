"""Chat image attachments: format check, metadata stripping, resizing, refusals. No I/O."""

from __future__ import annotations

import io
import random
import warnings

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile
from PIL.PngImagePlugin import PngInfo

from kosmos.chat import images
from kosmos.chat.images import (
    MAX_UPLOAD_BYTES,
    ImageRejected,
    PreparedImage,
    prepare_image,
)
from kosmos.errors import Problem


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def noise(size: tuple[int, int]) -> Image.Image:
    """A picture with real detail (so a cut file loses pixel data, not just a tail)."""
    raw = random.Random(7).randbytes(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, raw)


def two_halves(size: tuple[int, int], left: str, right: str, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, size, left)
    image.paste(Image.new(mode, (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refused(data: bytes, **kwargs: int) -> ImageRejected:
    with pytest.raises(ImageRejected) as err:
        prepare_image(data, **kwargs)
    assert err.value.field == "file"
    return err.value


# --- metadata ------------------------------------------------------------------------------


def phone_photo() -> bytes:
    """60x40 as stored (left red, right blue), shown rotated 90° clockwise (Orientation 6)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Pixelphone"
    exif[ExifTags.Base.Model] = "Pixel 9"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        two_halves((60, 40), "red", "blue"),
        "JPEG",
        quality=95,
        exif=exif,
        icc_profile=icc,
        comment=b"taken at home",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Musterstadt</x:xmpmeta>',
    )


def test_the_phone_photo_fixture_really_carries_gps_and_orientation():
    source = Image.open(io.BytesIO(phone_photo()))
    exif = source.getexif()
    assert exif[ExifTags.Base.Orientation] == 6
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert "icc_profile" in source.info
    assert b"Musterstadt" in phone_photo()


def test_jpeg_loses_all_metadata_and_is_turned_upright():
    result = prepare_image(phone_photo())

    out = reopen(result.content)
    assert out.format == "JPEG"
    assert (result.mime, result.ext) == ("image/jpeg", "jpg")
    assert len(out.getexif()) == 0
    assert b"Exif" not in result.content
    assert b"Musterstadt" not in result.content
    assert b"taken at home" not in result.content
    assert b"Pixel 9" not in result.content
    assert "icc_profile" not in out.info
    assert "comment" not in out.info
    # upright: 40 wide, 60 high, the stored left half (red) is now on top
    assert (result.width, result.height) == (40, 60) == out.size
    top, bottom = out.getpixel((20, 5)), out.getpixel((20, 55))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    # the thumbnail is clean and upright too
    thumb = reopen(result.thumbnail)
    assert result.thumb_mime == "image/jpeg"
    assert (result.thumb_width, result.thumb_height) == (40, 60) == thumb.size
    assert len(thumb.getexif()) == 0
    assert b"Exif" not in result.thumbnail


def test_png_text_chunks_are_dropped_and_transparency_kept():
    image = two_halves((50, 40), "#ff000000", "#00ff00ff", mode="RGBA")
    info = PngInfo()
    info.add_text("Comment", "secret hideout")
    info.add_itxt("Description", "Musterstadt, Lindenweg 4")
    source = encode(image, "PNG", pnginfo=info)
    assert b"tEXt" in source and b"secret hideout" in source

    result = prepare_image(source)

    assert (result.mime, result.ext) == ("image/png", "png")
    assert b"tEXt" not in result.content and b"iTXt" not in result.content
    assert b"secret hideout" not in result.content and b"Lindenweg" not in result.content
    out = reopen(result.content)
    assert out.format == "PNG" and out.mode == "RGBA"
    assert getattr(out, "text", {}) == {}
    assert out.getpixel((5, 5)) == (255, 0, 0, 0)
    assert out.getpixel((45, 5)) == (0, 255, 0, 255)
    assert result.thumb_mime == "image/webp"
    assert reopen(result.thumbnail).mode == "RGBA"


# --- formats -------------------------------------------------------------------------------


def test_webp_stays_webp():
    result = prepare_image(encode(noise((64, 48)), "WEBP", quality=90))
    assert (result.mime, result.ext) == ("image/webp", "webp")
    assert reopen(result.content).format == "WEBP"
    assert (result.width, result.height) == (64, 48)
    assert result.thumb_mime == "image/jpeg"
    assert reopen(result.thumbnail).format == "JPEG"


def test_gif_becomes_a_png_of_its_first_frame():
    frames = [Image.new("RGB", (30, 20), "red"), Image.new("RGB", (30, 20), "blue")]
    source = io.BytesIO()
    frames[0].save(source, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(source.getvalue())).n_frames == 2

    result = prepare_image(source.getvalue())

    assert (result.mime, result.ext) == ("image/png", "png")
    out = reopen(result.content)
    assert out.format == "PNG"
    assert not getattr(out, "is_animated", False)
    assert out.convert("RGB").getpixel((15, 10)) == (255, 0, 0)


def test_transparent_gif_keeps_its_transparency():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 255, 255, 0, 0, 255] + [0] * 762)
    image.paste(1, (10, 0, 20, 20))
    result = prepare_image(encode(image, "GIF", transparency=0))
    out = reopen(result.content)
    assert out.mode == "RGBA"
    alpha_left, alpha_right = out.getpixel((2, 2)), out.getpixel((15, 2))
    assert isinstance(alpha_left, tuple) and isinstance(alpha_right, tuple)
    assert alpha_left[3] == 0 and alpha_right[3] == 255


def test_opaque_photo_png_becomes_jpeg_and_palette_png_stays_png():
    photo = prepare_image(encode(noise((40, 30)), "PNG"))
    assert photo.mime == "image/jpeg"
    assert reopen(photo.content).format == "JPEG"

    palette = Image.new("P", (40, 30), 1)
    palette.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    drawing = prepare_image(encode(palette, "PNG"))
    assert drawing.mime == "image/png"
    assert reopen(drawing.content).convert("RGB").getpixel((3, 3)) == (200, 30, 30)


def test_opaque_rgba_is_treated_as_a_photo():
    result = prepare_image(encode(noise((40, 30)).convert("RGBA"), "PNG"))
    assert result.mime == "image/jpeg"


def test_cmyk_jpeg_and_16_bit_grey_png_are_converted():
    cmyk = prepare_image(encode(Image.new("CMYK", (20, 10), (0, 255, 255, 0)), "JPEG"))
    out = reopen(cmyk.content)
    assert out.mode == "RGB"
    red = out.getpixel((5, 5))
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 60

    grey = Image.new("I;16", (20, 10), 32768)
    result = prepare_image(encode(grey, "PNG"))
    pixel = reopen(result.content).getpixel((5, 5))
    assert isinstance(pixel, int) and 120 <= pixel <= 136


# --- sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size,full,thumb",
    [((4000, 3000), (2560, 1920), (320, 240)), ((1000, 4000), (640, 2560), (80, 320))],
)
def test_big_images_are_scaled_down_with_their_aspect(size, full, thumb):
    result = prepare_image(encode(Image.new("RGB", size, "teal"), "JPEG"))
    assert (result.width, result.height) == full == reopen(result.content).size
    assert (result.thumb_width, result.thumb_height) == thumb == reopen(result.thumbnail).size


def test_small_images_are_not_upscaled():
    result = prepare_image(encode(noise((100, 50)), "JPEG"))
    assert (result.width, result.height) == (100, 50)
    assert (result.thumb_width, result.thumb_height) == (100, 50)
    assert reopen(result.thumbnail).size == (100, 50)


def test_the_result_is_frozen():
    result = prepare_image(encode(noise((10, 10)), "PNG"))
    assert isinstance(result, PreparedImage)
    with pytest.raises(AttributeError):
        result.width = 1  # type: ignore[misc]


# --- refusals ------------------------------------------------------------------------------


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        b"Hello, this is just text.\n",
        SVG,
        b"",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    ],
    ids=["pdf", "text", "svg", "empty", "heic"],
)
def test_other_file_types_are_refused(data):
    err = refused(data)
    assert isinstance(err, Problem)
    assert (err.status, err.code) == (415, "unsupported_file_type")
    assert str(err) == "Only JPEG, PNG, WebP and GIF images can be sent."


def test_a_tiff_is_refused_though_pillow_could_read_it():
    err = refused(encode(noise((10, 10)), "TIFF"))
    assert (err.status, err.code) == (415, "unsupported_file_type")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_are_unreadable(fmt):
    whole = encode(noise((128, 128)), fmt)
    prepare_image(whole)  # the whole file is fine
    err = refused(whole[: len(whole) // 2])
    assert (err.status, err.code) == (422, "image_unreadable")


def test_files_over_the_limit_are_refused_before_opening(monkeypatch):
    def no_opening(*args: object, **kwargs: object) -> None:
        raise AssertionError("opened a file that is too large")

    monkeypatch.setattr(images.Image, "open", no_opening)
    err = refused(b"\x00" * 2000, max_bytes=1000)
    assert (err.status, err.code) == (413, "file_too_large")
    assert "MB" in str(err)

    err = refused(b"\x00" * (MAX_UPLOAD_BYTES + 1))
    assert (err.status, err.code) == (413, "file_too_large")
    assert str(err) == "The file is larger than 10 MB."
    assert err.params == {"limit": "10"}


def test_exactly_the_limit_is_accepted():
    data = encode(noise((10, 10)), "PNG")
    assert prepare_image(data, max_bytes=len(data)).width == 10


def test_too_many_pixels_are_refused_before_decoding(monkeypatch):
    huge = encode(Image.new("1", (10000, 5000)), "PNG", optimize=True)
    assert len(huge) < 100_000

    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("decoded the pixels of a bomb")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    err = refused(huge)
    assert (err.status, err.code) == (422, "image_too_large")
    assert "40 megapixels" in str(err)


def test_pillows_own_bomb_error_becomes_image_too_large(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 100x100 is over twice the limit
    err = refused(encode(noise((100, 100)), "PNG"))
    assert (err.status, err.code) == (422, "image_too_large")


def test_pillows_bomb_warning_as_error_becomes_image_too_large(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)  # 10,000 px: warning, not error
    data = encode(noise((100, 100)), "PNG")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        err = refused(data)
    assert (err.status, err.code) == (422, "image_too_large")
