"""Documents follow Vietnamese conventions: A4, the bundled font, Decree 30 margins, dates."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.utils import formats, translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from daihoi.core import documents
from daihoi.core.text import vietnamese_document_date

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng
CONSONANTS = "bcdđghklmnpqrstvx"


def vietnamese_alphabet() -> list[str]:
    """Every letter of TCVN 6909:2001's Vietnamese repertoire: 12 vowels in 6 tones and the 17
    consonants, lower and upper case (2 × 89 = 178 letters)."""
    lower = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
    lower += list(CONSONANTS)
    return lower + [letter.upper() for letter in lower]


def test_the_alphabet_has_178_single_code_point_letters() -> None:
    letters = vietnamese_alphabet()
    assert len(set(letters)) == 178
    assert all(len(letter) == 1 for letter in letters)  # NFC has a precomposed form for each


@pytest.mark.parametrize("name", sorted(documents.FONT_FILES.values()))
def test_every_bundled_font_file_covers_every_vietnamese_letter(name: str) -> None:
    cmap = TTFont(documents.FONT_DIR / name).getBestCmap()
    missing = [letter for letter in vietnamese_alphabet() if ord(letter) not in cmap]
    assert missing == []


def test_the_font_is_in_the_repository_with_its_licence() -> None:
    files = {p.name for p in Path(documents.FONT_DIR).iterdir()}
    assert set(documents.FONT_FILES.values()) <= files
    assert (
        "SIL OPEN FONT LICENSE" in (documents.FONT_DIR / "LICENSE-LiberationSerif.txt").read_text()
    )


def test_a_pdf_is_a4_and_embeds_the_bundled_font() -> None:
    pdf = documents.render_pdf("<p>Nguyễn Thị Ượng — <b>Đảng bộ</b> <i>phường Trần Phú</i></p>")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in page.mediabox.upper_right)
    assert (round(width_mm), round(height_mm)) == (210, 297)
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+", 1)[1]
        for f in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Daihoi-Serif", "Daihoi-Serif-Bold", "Daihoi-Serif-Italic"}
    assert "Nguyễn Thị Ượng" in page.extract_text()


def test_document_margins_and_body_size_are_those_of_decree_30() -> None:
    margins = documents.MARGINS_MM
    assert 20 <= margins["top"] <= 25 and 20 <= margins["bottom"] <= 25
    assert 30 <= margins["left"] <= 35 and 15 <= margins["right"] <= 20
    assert 13 <= documents.BODY_PT <= 14
    assert f"{documents.BODY_PT}pt" in documents.DOCUMENT_CSS


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2025, 4, 3), "ngày 03 tháng 4 năm 2025"),
        (datetime.date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (datetime.date(2025, 2, 9), "ngày 09 tháng 02 năm 2025"),
        (datetime.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_vietnamese_documents_write_dates_with_zeros_where_the_decree_asks(
    day: datetime.date, written: str
) -> None:
    assert vietnamese_document_date(day) == written
    assert documents.document_date(day, "vi") == written


def test_other_languages_write_their_own_long_date() -> None:
    day = datetime.date(2025, 4, 3)
    assert documents.document_date(day, "en") == "April 3, 2025"
    assert documents.document_date(day, "de") == "3. April 2025"


def test_vietnamese_pages_show_day_month_year_and_dotted_thousands() -> None:
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2025, 4, 3)) == "03/04/2025"
        assert formats.date_format(datetime.date(2025, 4, 3), "SHORT_DATE_FORMAT") == "03/04/2025"
        assert documents.figure(1234567) == "1.234.567"
        assert documents.figure(12.5) == "12,5"
    with translation.override("en"):
        assert documents.figure(1234567) == "1,234,567"


def test_no_template_hard_codes_an_iso_date_format() -> None:
    root = Path(documents.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if re.search(r"""date:\s*["']Y-m-d""", path.read_text())
    ]
    assert offenders == []


def test_a_docx_document_is_a4_with_decree_30_margins() -> None:
    from docx import Document

    document = documents.docx_document()
    document.add_paragraph("Biên bản")
    section = Document(io.BytesIO(documents.docx_bytes(document))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
