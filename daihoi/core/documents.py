"""The one way to print a document: A4 by Decree 30/2020, in the bundled serif font.

Every PDF goes through `render_pdf`, which adds `DOCUMENT_CSS` under the template's own
styles: the page is A4 with the margins of Decree 30/2020/NĐ-CP (top and bottom 20 mm,
left 30 mm, right 15 mm) and body text at 13 pt in Liberation Serif 2, bundled in
`core/static/fonts/` (SIL Open Font License) because it has every Vietnamese letter, so a
document never depends on the fonts of the machine that prints it. DOCX documents start
from `docx_document`, with the same page and Times New Roman, the font the decree names.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from django.utils import formats, translation

from daihoi.core.text import vietnamese_document_date

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
FONT_FAMILY = "Daihoi Serif"  # the bundled Liberation Serif, under a name no system font has
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}
# Decree 30/2020/NĐ-CP, appendix I: margins in millimetres and the body size in points.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT = 13


def _font_faces() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{(FONT_DIR / name).as_uri()}"); }}'
        for (weight, style), name in FONT_FILES.items()
    )


DOCUMENT_CSS = f"""
{_font_faces()}
@page {{
  size: A4;
  margin: {MARGINS_MM["top"]}mm {MARGINS_MM["right"]}mm {MARGINS_MM["bottom"]}mm
    {MARGINS_MM["left"]}mm;
}}
html {{ font-family: "{FONT_FAMILY}", serif; font-size: {BODY_PT}pt; line-height: 1.3; }}
"""


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML document as PDF, with the bundled font and the A4 page of Decree 30."""
    from weasyprint import CSS, HTML  # imported late: loading it costs a second
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(string=DOCUMENT_CSS, font_config=fonts)
    return bytes(
        HTML(string=html, base_url=base_url).write_pdf(stylesheets=[css], font_config=fonts)
    )


def document_date(day: datetime.date | datetime.datetime, language: str | None = None) -> str:
    """A date written out in a document: "ngày 03 tháng 4 năm 2025" in Vietnamese, the long
    date format of the language otherwise ("3 April 2025", "3. April 2025")."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    language = language or translation.get_language() or "vi"
    if language.startswith("vi"):
        return vietnamese_document_date(day)
    with translation.override(language):
        return str(formats.date_format(day, "DATE_FORMAT"))


def figure(value: Any) -> str:
    """A number with the active language's separators and thousands grouping (1.234,5)."""
    return str(formats.number_format(value, force_grouping=True))


# --- DOCX ---------------------------------------------------------------------------------


def docx_document() -> Any:
    """An empty python-docx document: A4, Decree 30 margins, Times New Roman 13 pt."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(BODY_PT)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    return document


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
