"""Drafts: imports of each format, anchors stable across versions, readable diffs."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError

from daihoi.consultation import actions, drafting
from daihoi.consultation.tests.conftest import DRAFT_MD


def _anchors(version: Any) -> dict[str, str]:
    return dict(version.paragraphs.values_list("text", "anchor"))


def test_markdown_headings_start_sections_and_paragraphs_are_numbered(version: Any) -> None:
    paragraphs = list(version.paragraphs.order_by("number").select_related("section"))
    assert [p.number for p in paragraphs] == [1, 2, 3, 4]
    assert [p.anchor for p in paragraphs] == ["p1", "p2", "p3", "p4"]
    assert paragraphs[0].section.title == "I. Đánh giá nhiệm kỳ"
    assert paragraphs[2].section.title == "II. Mục tiêu nhiệm kỳ mới"


def test_plain_text_capitals_and_numbered_lines_are_sections() -> None:
    parsed = drafting.parse_plain_text(
        "PHẦN THỨ NHẤT\n\nĐoạn mở đầu của báo cáo.\n\nI. Kết quả\n\n"
        "Kết quả thứ nhất,\nviết trên hai dòng.\n\n1. Một mục con không kết thúc bằng dấu chấm\n\n"
        "Đoạn cuối."
    )
    assert [s.title for s in parsed.sections] == [
        "PHẦN THỨ NHẤT",
        "I. Kết quả",
        "1. Một mục con không kết thúc bằng dấu chấm",
    ]
    assert parsed.paragraphs == [
        "Đoạn mở đầu của báo cáo.",
        "Kết quả thứ nhất, viết trên hai dòng.",
        "Đoạn cuối.",
    ]


def test_docx_headings_and_paragraphs_are_imported(draft: Any, editor: Any) -> None:
    document = docx.Document()
    document.add_heading("I. Đánh giá", level=1)
    document.add_paragraph("Đoạn thứ nhất của văn kiện.")
    document.add_paragraph("")
    document.add_paragraph("Đoạn thứ hai của văn kiện.")
    buffer = io.BytesIO()
    document.save(buffer)
    version = actions.draft_version_import(
        actor=editor, draft=draft, source_format="docx", data=buffer.getvalue()
    )
    texts = list(version.paragraphs.order_by("number").values_list("text", flat=True))
    assert texts == ["Đoạn thứ nhất của văn kiện.", "Đoạn thứ hai của văn kiện."]
    assert version.sections.get().title == "I. Đánh giá"


def test_a_broken_docx_is_refused_with_a_clear_error(draft: Any, editor: Any) -> None:
    with pytest.raises(ValidationError) as error:
        actions.draft_version_import(
            actor=editor, draft=draft, source_format="docx", data=b"not a zip"
        )
    assert "DOCX" in error.value.message_dict["source"][0]
    assert not draft.versions.exists()


def test_anchors_survive_edits_reordering_and_insertions(version: Any, editor: Any) -> None:
    before = _anchors(version)
    edited = DRAFT_MD.replace("7,5%", "7,8%").replace(
        "Đẩy mạnh chuyển đổi số, xây dựng chính quyền số và kinh tế số.",
        "Một đoạn hoàn toàn mới về bảo vệ môi trường và ứng phó biến đổi khí hậu.\n\n"
        "Đẩy mạnh chuyển đổi số, xây dựng chính quyền số, xã hội số và kinh tế số.",
    )
    second = actions.draft_version_import(
        actor=editor, draft=version.draft, source_format="markdown", data=edited
    )
    rows = list(second.paragraphs.order_by("number").values_list("anchor", "text"))
    assert rows[0] == (
        "p1",
        "Nhiệm kỳ qua, kinh tế của tỉnh tăng trưởng khá, bình quân 7,8% mỗi năm.",
    )
    assert rows[1][0] == before[rows[1][1]]  # unchanged keeps its anchor
    assert rows[3][0] == "p5"  # the new paragraph gets a fresh anchor
    assert rows[4][0] == "p4"  # the edited last paragraph keeps its anchor
    assert second.number == 2


def test_a_removed_anchor_is_never_reused(version: Any, editor: Any) -> None:
    shortened = DRAFT_MD.replace(
        "Công tác xây dựng Đảng được chú trọng, chất lượng sinh hoạt chi bộ được nâng lên.", ""
    )
    actions.draft_version_import(
        actor=editor, draft=version.draft, source_format="markdown", data=shortened
    )
    third = actions.draft_version_import(
        actor=editor,
        draft=version.draft,
        source_format="markdown",
        data=shortened + "\n\nĐoạn bổ sung về công tác cán bộ trẻ.",
    )
    assert "p2" not in set(third.paragraphs.values_list("anchor", flat=True))
    assert third.paragraphs.get(text__startswith="Đoạn bổ sung").anchor == "p5"


def test_word_diff_marks_only_the_changed_words() -> None:
    segments = drafting.word_diff(
        "tăng trưởng bình quân 7,5% mỗi năm", "tăng trưởng bình quân 7,8% mỗi năm"
    )
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "tăng trưởng bình quân"),
        ("removed", "7,5%"),
        ("added", "7,8%"),
        ("same", "mỗi năm"),
    ]


def test_diff_page_shows_changed_added_and_removed_paragraphs(
    client: Any, version: Any, editor: Any
) -> None:
    actions.draft_version_import(
        actor=editor,
        draft=version.draft,
        source_format="markdown",
        data=DRAFT_MD.replace("7,5%", "7,8%").replace(
            "Phấn đấu đến năm 2030 tỉnh trở thành tỉnh công nghiệp theo hướng hiện đại.", ""
        ),
    )
    client.force_login(editor)
    response = client.get(f"/consultation/d/{version.draft_id}/diff")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>7,5%</del>" in html and "<ins>7,8%</ins>" in html
    assert 'class="removed"' in html


def test_only_editors_of_the_unit_import_versions(draft: Any, organizer_d1: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.draft_version_import(
            actor=organizer_d1, draft=draft, source_format="text", data="Một đoạn."
        )
