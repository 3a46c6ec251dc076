"""Working with many comments: search ignoring diacritics, keyset pages without counting,
bulk moderation of a group or a search (audited, undoable), and a paragraph's export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from daihoi.consultation import actions, queries
from daihoi.consultation.actions import CommentInput
from daihoi.consultation.models import Comment, CommentGroup, ModerationBatch
from daihoi.core.models import AuditEvent

TEXTS = [
    "Đề nghị bổ sung chỉ tiêu cụ thể về kinh tế số cho giai đoạn 2025–2030.",
    "Đề nghị bổ sung chỉ tiêu cụ thể về công tác cán bộ cho giai đoạn 2025–2030.",
    "Cần đẩy mạnh chuyển đổi số ở cấp xã.",
    "Quảng cáo: mua hàng giá rẻ tại đây!",
    "QUẢNG CÁO mua hàng giá rẻ, gọi ngay",
]


@pytest.fixture
def comments(consultation: Any, editor: Any) -> list[Comment]:
    return actions.comments_ingest(
        actor=editor,
        consultation=consultation,
        items=[CommentInput(text=t, channel="letter", unit="C1") for t in TEXTS],
    )


def _ids(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def test_search_ignores_diacritics_and_case_and_matches_word_starts(
    consultation: Any, comments: list[Comment]
) -> None:
    found = queries.search_comments(consultation, "kinh te so")
    assert _ids(found) == {comments[0].pk}
    assert _ids(queries.search_comments(consultation, "CHUYỂN đổi")) == {comments[2].pk}
    # words in any order, each the start of a word
    assert _ids(queries.search_comments(consultation, "quang mua")) == {
        comments[3].pk,
        comments[4].pk,
    }
    assert _ids(queries.search_comments(consultation, "bo sung giai doan")) == {
        comments[0].pk,
        comments[1].pk,
    }
    assert not queries.search_comments(consultation, "tham nhung").exists()
    assert not queries.search_comments(consultation, "  ").exists()


def test_a_quoted_phrase_is_searched_as_it_stands(
    consultation: Any, comments: list[Comment]
) -> None:
    assert _ids(queries.search_comments(consultation, '"cong tac can bo"')) == {comments[1].pk}
    assert not queries.search_comments(consultation, '"can bo cong tac"').exists()


def test_search_stays_within_the_consultation(
    consultation: Any, public_consultation: Any, comments: list[Comment], editor: Any
) -> None:
    actions.comments_ingest(
        actor=editor,
        consultation=public_consultation,
        items=[CommentInput(text=TEXTS[0], channel="letter", unit="C1")],
    )
    assert _ids(queries.search_comments(consultation, "kinh te so")) == {comments[0].pk}


def test_keyset_pages_cover_every_comment_once_newest_first_without_counting(
    consultation: Any, comments: list[Comment]
) -> None:
    rows = Comment.objects.filter(consultation=consultation)
    seen: list[int] = []
    after = None
    with CaptureQueriesContext(connection) as captured:
        while True:
            page = queries.keyset_page(rows, after=after, size=2)
            seen += [c.pk for c in page.items]
            if page.next_after is None:
                break
            after = page.next_after
    assert seen == sorted((c.pk for c in comments), reverse=True)
    assert len(captured) == 3
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_hiding_every_comment_of_a_search_is_one_audited_action(
    consultation: Any, comments: list[Comment], moderator: Any
) -> None:
    batch = actions.comments_moderate_bulk(
        actor=moderator,
        consultation=consultation,
        verb="hide",
        reason="Quảng cáo",
        query="quang cao",
    )
    assert batch.count == 2
    hidden = Comment.objects.filter(hidden=True)
    assert _ids(hidden) == {comments[3].pk, comments[4].pk}
    assert set(hidden.values_list("hidden_reason", flat=True)) == {"Quảng cáo"}
    (event,) = AuditEvent.objects.filter(action="comments_moderate_bulk")
    assert event.changes["count"] == 2 and event.changes["query"] == "quang cao"
    assert queries.visible_comments(consultation).count() == 3


def test_undoing_a_bulk_hide_restores_only_what_it_hid(
    consultation: Any, comments: list[Comment], moderator: Any
) -> None:
    actions.comment_hide(actor=moderator, comment=comments[4], reason="Đã ẩn trước")
    batch = actions.comments_moderate_bulk(
        actor=moderator, consultation=consultation, verb="hide", reason="Quảng cáo", query="quang"
    )
    assert batch.count == 1  # the other was already hidden
    actions.moderation_batch_undo(actor=moderator, batch=batch)
    comments[3].refresh_from_db()
    comments[4].refresh_from_db()
    assert not comments[3].hidden
    assert comments[4].hidden and comments[4].hidden_reason == "Đã ẩn trước"
    assert AuditEvent.objects.filter(action="moderation_batch_undo").count() == 1
    with pytest.raises(ValidationError) as refused:
        actions.moderation_batch_undo(actor=moderator, batch=batch)
    assert refused.value.error_dict["batch"][0].code == "already_undone"


def test_a_bulk_restore_can_be_undone_and_the_comments_hidden_again_with_their_reason(
    consultation: Any, comments: list[Comment], moderator: Any
) -> None:
    actions.comments_moderate_bulk(
        actor=moderator, consultation=consultation, verb="hide", reason="Quảng cáo", query="quang"
    )
    restore = actions.comments_moderate_bulk(
        actor=moderator, consultation=consultation, verb="restore", reason="Nhầm", query="quang"
    )
    assert restore.count == 2 and not Comment.objects.filter(hidden=True).exists()
    actions.moderation_batch_undo(actor=moderator, batch=restore)
    assert set(Comment.objects.filter(hidden=True).values_list("hidden_reason", flat=True)) == {
        "Quảng cáo"
    }


def test_bulk_moderation_of_a_group(
    consultation: Any,
    comments: list[Comment],
    moderator: Any,
    editor: Any,
    settings_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.synthesis_start(actor=editor, consultation=consultation)
    group = CommentGroup.objects.get(members=comments[3])
    batch = actions.comments_moderate_bulk(
        actor=moderator, consultation=consultation, verb="hide", reason="Quảng cáo", group=group
    )
    assert batch.count == group.size == 2


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"verb": "hide", "reason": " ", "query": "quang"}, "reason_required"),
        ({"verb": "hide", "reason": "x"}, "scope_required"),
        ({"verb": "delete", "reason": "x", "query": "quang"}, "bad_verb"),
    ],
)
def test_bulk_moderation_refusals_carry_a_code(
    consultation: Any, comments: list[Comment], moderator: Any, arguments: dict[str, str], code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.comments_moderate_bulk(actor=moderator, consultation=consultation, **arguments)
    assert [e.code for errors in refused.value.error_dict.values() for e in errors] == [code]
    assert not ModerationBatch.objects.exists()


def test_editors_may_not_moderate_in_bulk(
    consultation: Any, comments: list[Comment], editor: Any
) -> None:
    with pytest.raises(PermissionDenied):
        actions.comments_moderate_bulk(
            actor=editor, consultation=consultation, verb="hide", reason="x", query="quang"
        )


def test_moderation_page_searches_pages_and_hides_in_bulk(
    client: Any, consultation: Any, comments: list[Comment], moderator: Any, settings: Any
) -> None:
    settings.DAIHOI_PAGE_SIZE = 2
    client.force_login(moderator)
    url = f"/consultation/c/{consultation.pk}/moderation"
    first = client.get(url)
    assert first.status_code == 200
    assert f"after={comments[3].pk}" in first.content.decode()
    older = client.get(url, {"after": comments[3].pk})
    assert TEXTS[2] in older.content.decode() and TEXTS[4] not in older.content.decode()
    found = client.get(url, {"q": "quang cao"}).content.decode()
    assert TEXTS[3] in found and TEXTS[0] not in found and 'id="bulk-moderation"' in found
    response = client.post(f"{url}/bulk", {"q": "quang cao", "verb": "hide", "reason": "Spam"})
    assert response.status_code == 302
    assert Comment.objects.filter(hidden=True).count() == 2
    batch = ModerationBatch.objects.get()
    client.post(f"/consultation/moderations/{batch.pk}/undo")
    assert not Comment.objects.filter(hidden=True).exists()


def test_another_consultations_moderator_gets_404(
    client: Any, consultation: Any, comments: list[Comment], province: dict[str, Any]
) -> None:
    from daihoi import testing
    from daihoi.accounts.models import Role

    outsider = testing.make_user(username="mod_g2", role=Role.MODERATOR, unit=province["g2"])
    client.force_login(outsider)
    assert client.get(f"/consultation/c/{consultation.pk}/moderation").status_code == 404


def _export(client: Any, consultation: Any, editor: Any) -> list[tuple[Any, ...]]:
    client.force_login(editor)
    response = client.get(f"/consultation/c/{consultation.pk}/synthesis/general.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_a_paragraphs_groups_export_with_their_dispositions(
    client: Any,
    consultation: Any,
    comments: list[Comment],
    editor: Any,
    settings_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.synthesis_start(actor=editor, consultation=consultation)
    group = CommentGroup.objects.exclude(kind=CommentGroup.Kind.TOPIC).get(members=comments[3])
    actions.disposition_record(actor=editor, group=group, status="out_of_scope", reason="Quảng cáo")
    rows = _export(client, consultation, editor)
    assert rows[0][0] == "group"
    line = next(r for r in rows[1:] if r[0] == group.pk)
    assert line[2] == 2 and "out_of_scope" in line and "Quảng cáo" in line


def test_the_export_does_not_let_a_comment_become_a_formula(
    client: Any,
    consultation: Any,
    editor: Any,
    settings_tasks: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    actions.comments_ingest(
        actor=editor,
        consultation=consultation,
        items=[
            CommentInput(text='=HYPERLINK("http://x.example","bấm")', channel="letter", unit="C1")
            for _ in range(2)
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.synthesis_start(actor=editor, consultation=consultation)
    rows = _export(client, consultation, editor)
    texts = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert """'=HYPERLINK("http://x.example","bấm")""" in texts  # the comment, quoted
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
