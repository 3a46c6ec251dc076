"""Synthesis as the editors use it: the background run, figures, groups and dispositions."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count

from bench.comment_generator import generate_comments, pairwise_precision_recall
from daihoi.consultation import actions, queries
from daihoi.consultation.actions import CommentInput
from daihoi.consultation.models import Comment, CommentGroup, Disposition, SynthesisRun
from daihoi.consultation.synthesis import planning
from daihoi.core.models import AuditEvent

UNITS = ["C1", "C2", "G1", "G2", "D1", "D2"]


def test_the_planned_group_kinds_are_the_stored_kinds() -> None:
    assert CommentGroup.Kind.values == [planning.EXACT, planning.NEAR, planning.TOPIC]


def _ingest(consultation: Any, editor: Any, texts: list[tuple[str, str | None]]) -> list[Comment]:
    units = itertools.cycle(UNITS)
    created: list[Comment] = []
    for start in range(0, len(texts), 1000):
        created += actions.comments_ingest(
            actor=editor,
            consultation=consultation,
            items=[
                CommentInput(text=text, paragraph=anchor, channel="letter", unit=next(units))
                for text, anchor in texts[start : start + 1000]
            ],
        )
    return created


def _synthesize(consultation: Any, editor: Any, capture: Any) -> SynthesisRun:
    with capture(execute=True):
        run = actions.synthesis_start(actor=editor, consultation=consultation)
    run.refresh_from_db()
    return run


@pytest.fixture
def planted(consultation: Any, editor: Any, settings_tasks: Any) -> tuple[list[Any], list[Comment]]:
    generated = generate_comments(800, seed=5)
    paragraph_of = {
        key: f"p{i % 4 + 1}" for i, key in enumerate(sorted({g.paragraph for g in generated}))
    }
    comments = _ingest(
        consultation, editor, [(g.text, paragraph_of[g.paragraph]) for g in generated]
    )
    return generated, comments


def test_synthesis_recovers_planted_near_duplicates_with_95_percent_precision_and_recall(
    planted: tuple[list[Any], list[Comment]],
    consultation: Any,
    editor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    generated, comments = planted
    run = _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    assert (run.state, run.progress, run.comment_count) == ("done", 100, 800)
    group_of_id = dict(Comment.objects.values_list("pk", "group_id"))
    groups = [group_of_id[c.pk] or -c.pk for c in comments]
    precision, recall = pairwise_precision_recall([g.family for g in generated], groups)
    assert precision >= 0.95 and recall >= 0.95
    assert CommentGroup.objects.filter(kind="topic").exists()


def test_synthesis_figures_equal_direct_counts(
    planted: tuple[list[Any], list[Comment]],
    consultation: Any,
    editor: Any,
    moderator: Any,
    member_g1: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _generated, comments = planted
    actions.comment_submit(
        actor=member_g1, consultation=consultation, item=CommentInput(text="Chung.")
    )
    actions.comment_hide(actor=moderator, comment=comments[0], reason="Trùng lặp spam")
    _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    group = CommentGroup.objects.exclude(kind="topic").order_by("-size").first()
    actions.disposition_record(actor=editor, group=group, status="incorporated", version_number=2)
    lone = Comment.objects.filter(group__isnull=True, hidden=False).first()
    actions.disposition_record(actor=editor, comment=lone, status="out_of_scope")

    figures = {
        f.paragraph.anchor if f.paragraph else None: f
        for f in queries.paragraph_figures(consultation)
    }
    visible = Comment.objects.filter(consultation=consultation, hidden=False)
    for row in visible.values("paragraph__anchor").annotate(
        n=Count("pk"), units=Count("unit", distinct=True)
    ):
        assert figures[row["paragraph__anchor"]].comments == row["n"]
        assert figures[row["paragraph__anchor"]].units == row["units"]
    for row in visible.values("paragraph__anchor", "level").annotate(n=Count("pk")):
        assert figures[row["paragraph__anchor"]].by_level[row["level"]] == row["n"]
    for anchor, f in figures.items():
        direct = CommentGroup.objects.filter(
            paragraph__anchor=anchor, consultation=consultation
        ).exclude(kind="topic")
        if anchor is None:
            direct = CommentGroup.objects.filter(paragraph__isnull=True).exclude(kind="topic")
        assert f.groups == direct.count()
    handled = (
        visible.filter(disposition__isnull=False).count()
        + visible.filter(disposition__isnull=True, group__disposition__isnull=False).count()
    )
    totals = queries.consultation_totals(consultation)
    assert handled == group.size + 1
    assert (
        totals["unhandled"]
        == visible.count() - handled
        == sum(f.unhandled for f in figures.values())
    )
    assert totals["comments"] == 800 and totals["hidden"] == 1


def test_a_second_run_keeps_every_decision(
    planted: tuple[list[Any], list[Comment]],
    consultation: Any,
    editor: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    group = CommentGroup.objects.exclude(kind="topic").order_by("-size").first()
    members = set(group.members.values_list("pk", flat=True))
    actions.disposition_record(
        actor=editor, group=group, status="not_taken", reason="Đã có trong chương trình"
    )
    before = queries.unhandled_comments(consultation).count()
    run = _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    assert run.state == "done"
    assert queries.unhandled_comments(consultation).count() == before
    assert set(
        Disposition.objects.filter(comment__in=members).values_list("status", flat=True)
    ) == {"not_taken"}


def test_only_one_run_at_a_time(consultation: Any, editor: Any) -> None:
    SynthesisRun.objects.create(consultation=consultation, state="running")
    with pytest.raises(ValidationError):
        actions.synthesis_start(actor=editor, consultation=consultation)


def test_disposition_rules_and_audit(consultation: Any, editor: Any, member_g1: Any) -> None:
    comment = actions.comment_submit(
        actor=member_g1, consultation=consultation, item=CommentInput(text="Ý kiến.")
    )
    with pytest.raises(ValidationError) as error:
        actions.disposition_record(actor=editor, comment=comment, status="incorporated")
    assert "version_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.disposition_record(
            actor=editor, comment=comment, status="incorporated", version_number=1
        )
    assert "version_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.disposition_record(actor=editor, comment=comment, status="not_taken")
    assert "reason" in error.value.message_dict
    actions.disposition_record(actor=editor, comment=comment, status="partly", version_number=2)
    actions.disposition_record(
        actor=editor, comment=comment, status="incorporated", version_number=2
    )
    assert Disposition.objects.get().status == "incorporated"
    assert AuditEvent.objects.filter(action="disposition_record").last().changes["was"] == "partly"


def test_member_sees_the_disposition_of_their_own_comments_only(
    client: Any,
    consultation: Any,
    editor: Any,
    member_g1: Any,
    member_c2: Any,
    settings_tasks: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    text = "Đề nghị bổ sung chỉ tiêu về chuyển đổi số trong đoạn này."
    mine = actions.comment_submit(
        actor=member_g1, consultation=consultation, item=CommentInput(text=text, paragraph="p3")
    )
    theirs = actions.comment_submit(
        actor=member_c2,
        consultation=consultation,
        item=CommentInput(text=text + "!", paragraph="p3"),
    )
    _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    mine.refresh_from_db()
    assert mine.group_id is not None and mine.group_id == Comment.objects.get(pk=theirs.pk).group_id
    actions.disposition_record(
        actor=editor, group=mine.group, status="incorporated", version_number=2
    )
    client.force_login(member_g1)
    with django_assert_max_num_queries(12):
        html = client.get("/consultation/mine/").content.decode()
    assert "incorporated" in html and "into version 2" in html
    assert html.count('class="my-comment"') == 1
    assert client.get(f"/consultation/c/{consultation.pk}/synthesis").status_code == 404
    assert client.get(f"/consultation/g/{mine.group_id}/").status_code == 404


def test_synthesis_pages_and_reports_render(
    client: Any,
    planted: Any,
    consultation: Any,
    editor: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    run = _synthesize(consultation, editor, django_capture_on_commit_callbacks)
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        page = client.get(f"/consultation/c/{consultation.pk}/synthesis")
    assert page.status_code == 200 and "still unhandled" in page.content.decode()
    with django_assert_max_num_queries(25):
        detail = client.get(f"/consultation/c/{consultation.pk}/synthesis/p3")
    assert detail.status_code == 200 and 'class="card group' in detail.content.decode()
    assert client.get(f"/consultation/runs/{run.pk}/").status_code == 200
    xlsx = client.get(f"/consultation/c/{consultation.pk}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/consultation/c/{consultation.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    api = client.get(f"/api/v1/consultations/{consultation.pk}/synthesis").json()
    assert api["comments"] == 800 and api["run_state"] == "done"
    assert sum(p["comments"] for p in api["paragraphs"]) == 800
