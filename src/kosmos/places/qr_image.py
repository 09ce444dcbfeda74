"""QR images for pages and tests (segno): inline SVG for a page, PNG for a download or
a decoding test."""

from __future__ import annotations

import io

import segno


def svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """An inline <svg> (no XML declaration), error correction M, with a quiet zone."""
    qr = segno.make_qr(data, error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None,
            nl=False, svgclass="qr", lineclass=None)  # fmt: skip
    return out.getvalue().decode()


def png(data: str, *, scale: int = 6) -> bytes:
    qr = segno.make_qr(data, error="m")
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
