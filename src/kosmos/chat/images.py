"""Image attachments for the messenger: check, clean and shrink an uploaded picture.

Pure: bytes in, bytes out (Pillow only; no database, no web framework).

`prepare_image` does, in this order:

1. more than `max_bytes` -> `file_too_large` (413), before Pillow sees a byte;
2. the format is read from the bytes, never from a file name or a client content type:
   only JPEG, PNG, WebP and GIF are opened -> anything else `unsupported_file_type` (415);
3. the size from the header: more than `MAX_PIXELS` -> `image_too_large` (422), before any
   pixel data is decoded (Pillow's own decompression-bomb error/warning maps to it too);
4. the pixels are decoded (first frame only); truncated or corrupt -> `image_unreadable`;
5. the EXIF orientation is applied, so a rotated phone photo stays upright;
6. colours are converted to sRGB when an ICC profile is embedded, and the profile is then
   **dropped**: the output carries no ICC profile (sRGB by convention);
7. the pixels are re-encoded into a fresh file: no EXIF (GPS, camera, time), XMP, IPTC,
   comments, PNG text chunks or ICC profile survive.

Output formats (full image, long side at most `FULL_MAX_SIDE`, never upscaled):

- WebP stays WebP (alpha kept);
- GIF (first frame), palette or 1-bit images, and images with real transparency -> PNG;
- every other picture (an opaque photo) -> JPEG, quality `JPEG_QUALITY`.

Thumbnail (long side at most `THUMB_MAX_SIDE`, never upscaled): JPEG, or WebP when the
image has transparency.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from kosmos.errors import Problem
from kosmos.web.i18n import N_

MIB: Final = 1024 * 1024
MAX_UPLOAD_BYTES: Final = 10 * MIB
MAX_PIXELS: Final = 40_000_000
FULL_MAX_SIDE: Final = 2560
THUMB_MAX_SIDE: Final = 320
JPEG_QUALITY: Final = 85
WEBP_QUALITY: Final = 85
THUMB_QUALITY: Final = 80

ACCEPTED_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")
_MIME: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXT: Final = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class ImageRejected(Problem):
    """An uploaded file that cannot be sent as an image (the specific `code` says why)."""

    status, code, title = 422, "image_rejected", "Image not accepted"


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """A cleaned image ready to store: the full picture and its thumbnail."""

    content: bytes
    mime: str
    ext: str
    width: int
    height: int
    thumbnail: bytes
    thumb_mime: str
    thumb_width: int
    thumb_height: int


def prepare_image(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> PreparedImage:
    """Check an uploaded image and re-encode it without metadata (see the module docstring).

    Raises `ImageRejected` with code `file_too_large` (413), `unsupported_file_type` (415),
    `image_too_large` or `image_unreadable` (422), always with field "file".
    """
    if len(data) > max_bytes:
        raise ImageRejected(
            N_("The file is larger than %(limit)s MB."),
            status=413,
            code="file_too_large",
            field="file",
            params={"limit": f"{max_bytes / MIB:.3g}"},
            extra={"max_bytes": max_bytes},
        )
    source_format, image = _decode(data)
    image, lossless = _normalize(image)
    has_alpha = image.mode in ("RGBA", "LA")

    if source_format == "WEBP":
        fmt = "WEBP"
    elif source_format == "GIF" or lossless or has_alpha:
        fmt = "PNG"
    else:
        fmt = "JPEG"

    full = _fit(image, FULL_MAX_SIDE)
    content = _encode(full, fmt)
    thumb = _fit(full, THUMB_MAX_SIDE)
    thumb_fmt = "WEBP" if has_alpha else "JPEG"
    thumbnail = _encode(thumb, thumb_fmt, quality=THUMB_QUALITY)
    return PreparedImage(
        content=content,
        mime=_MIME[fmt],
        ext=_EXT[fmt],
        width=full.width,
        height=full.height,
        thumbnail=thumbnail,
        thumb_mime=_MIME[thumb_fmt],
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


def _decode(data: bytes) -> tuple[str, Image.Image]:
    """The source format and the upright first frame, fully decoded."""
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as opened:
            source_format = str(opened.format)
            _check_pixels(opened.size)  # the header only: no pixel data decoded yet
            if source_format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is shrunk anyway.
                opened.draft(opened.mode, _fitted_size(opened.size, FULL_MAX_SIDE))
            opened.load()
            _check_pixels(opened.size)
            upright = ImageOps.exif_transpose(opened)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (its limit is above ours, or a warning escalated to an error).
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(
            N_("Only JPEG, PNG, WebP and GIF images can be sent."),
            status=415,
            code="unsupported_file_type",
            field="file",
        ) from exc
    except Exception as exc:  # any decoder failure on untrusted bytes is the file's fault
        raise ImageRejected(
            N_("The image could not be read. It may be damaged or incomplete."),
            code="image_unreadable",
            field="file",
        ) from exc
    return source_format, upright


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(
        N_("The image has too many pixels (at most %(limit)s megapixels)."),
        code="image_too_large",
        field="file",
        params={"limit": MAX_PIXELS // 1_000_000},
        extra={"max_pixels": MAX_PIXELS},
    )


def _normalize(image: Image.Image) -> tuple[Image.Image, bool]:
    """The pixels in L, LA, RGB or RGBA (sRGB); True when the source was palette/1-bit."""
    lossless = image.mode in ("1", "P", "PA")
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if "transparency" in image.info or image.mode in ("PA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode in ("1", "P"):
        image = image.convert("RGB")
    image = _to_srgb(image)
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert(image.mode[:-1])  # an alpha channel that hides nothing
    return image, lossless


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded ICC profile (RGB, RGBA, CMYK) so the colours survive dropping it."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    source = image.convert("RGB") if alpha is not None else image
    try:
        converted = ImageCms.profileToProfile(
            source,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile: keep the pixels as they are
    if converted is None:  # pragma: no cover - only with inPlace=True
        return image
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _fitted_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    """Downscale so the longer side is at most `max_side` (aspect kept, never upscaled)."""
    size = _fitted_size(image.size, max_side)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, fmt: str, *, quality: int | None = None) -> bytes:
    """A fresh file from the pixels alone: no metadata is passed or inherited."""
    image.info = {}  # PNG would otherwise copy an ICC profile or transparency from here
    if fmt == "WEBP" and image.mode in ("L", "LA"):
        image = image.convert("RGBA" if image.mode == "LA" else "RGB")
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=quality or JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=quality or WEBP_QUALITY, method=4)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()
