"""The one HTML-to-PDF helper (WeasyPrint), for every printable document."""

from __future__ import annotations

from typing import Any


def html_to_pdf(html: str, request: Any = None) -> bytes:
    from weasyprint import HTML  # imported late: loading it costs a second

    base_url = request.build_absolute_uri("/") if request is not None else None
    return bytes(HTML(string=html, base_url=base_url).write_pdf())
