"""HTML to PDF with WeasyPrint, imported late (loading it costs a second)."""

from __future__ import annotations

from django.http import HttpRequest


def html_to_pdf(html: str, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    base_url = request.build_absolute_uri("/") if request is not None else None
    return bytes(HTML(string=html, base_url=base_url).write_pdf())
