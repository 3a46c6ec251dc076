"""Who may comment, what a comment records, and the comment API."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.conduct.models import Delegate
from daihoi.consultation import actions, queries
from daihoi.consultation.actions import CommentInput
from daihoi.consultation.models import Comment
from daihoi.consultation.tests.conftest import make_member
from daihoi.core.models import AuditEvent


def test_member_of_the_subtree_comments_online_with_unit_and_level(
    consultation: Any, member_g1: Any, province: dict[str, Any]
) -> None:
    comment = actions.comment_submit(
        actor=member_g1,
        consultation=consultation,
        item=CommentInput(text="Cần bổ sung chỉ tiêu về chuyển đổi số.", paragraph="p3"),
    )
    assert comment.channel == "online"
    assert comment.unit == province["g1"] and comment.level == "grassroots"
    assert comment.author == member_g1 and comment.paragraph.number == 3
    assert AuditEvent.objects.filter(action="comment_submit", object_id=str(comment.pk)).exists()


def test_member_outside_the_audience_subtree_may_not_comment(
    version: Any, editor: Any, province: dict[str, Any], member_c2: Any
) -> None:
    now = timezone.now()
    d1_only = actions.consultation_open(
        actor=editor,
        version=version,
        audience="subtree",
        audience_unit=province["d1"],
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        actions.comment_submit(
            actor=member_c2, consultation=d1_only, item=CommentInput(text="Ý kiến.")
        )
    assert d1_only not in queries.consultations_open_to(member_c2)


def test_delegates_of_lower_congresses_are_the_audience_of_lower_delegates(
    version: Any, editor: Any, province: dict[str, Any], congresses: dict[str, Any]
) -> None:
    now = timezone.now()
    consultation = actions.consultation_open(
        actor=editor,
        version=version,
        audience="lower_delegates",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    delegate = make_member(province["c1"], "delegate_d1")
    bystander = make_member(province["c1"], "bystander")
    Delegate.objects.create(
        congress=congresses["d1"], person=delegate.person, kind="elected", badge_code="B1"
    )
    comment = actions.comment_submit(
        actor=delegate, consultation=consultation, item=CommentInput(text="Ý kiến đại biểu.")
    )
    assert comment.level == "cell"
    with pytest.raises(PermissionDenied):
        actions.comment_submit(
            actor=bystander, consultation=consultation, item=CommentInput(text="Ý kiến.")
        )


def test_comment_from_meeting_minutes_records_the_meeting_and_the_lower_unit(
    consultation: Any, province: dict[str, Any]
) -> None:
    secretary = testing.make_user(role=Role.ORGANIZER, unit=province["d2"])
    comment = actions.comment_submit(
        actor=secretary,
        consultation=consultation,
        item=CommentInput(
            text="Hội nghị đề nghị làm rõ chỉ tiêu tăng trưởng.",
            paragraph="p1",
            channel="meeting",
            unit="G2",
            meeting_ref="Biên bản hội nghị Đảng bộ xã Hiệp Sơn",
            meeting_date=datetime.date(2025, 3, 12),
        ),
    )
    assert (comment.channel, comment.unit.code, comment.level) == ("meeting", "G2", "grassroots")
    assert comment.meeting_ref.startswith("Biên bản") and comment.entered_by == secretary
    assert comment.author is None


def test_meeting_entry_needs_the_meeting_and_a_unit_in_the_enterers_scope(
    consultation: Any, province: dict[str, Any]
) -> None:
    secretary = testing.make_user(role=Role.ORGANIZER, unit=province["d2"])
    with pytest.raises(ValidationError) as error:
        actions.comment_submit(
            actor=secretary,
            consultation=consultation,
            item=CommentInput(text="Ý kiến.", channel="meeting", unit="G2"),
        )
    assert "meeting_ref" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.comment_submit(
            actor=secretary,
            consultation=consultation,
            item=CommentInput(text="Ý kiến.", channel="letter", unit="G1"),
        )


def test_amendment_needs_a_paragraph_and_the_proposed_text(
    consultation: Any, member_g1: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.comment_submit(
            actor=member_g1,
            consultation=consultation,
            item=CommentInput(text="Đề nghị sửa.", kind="amendment"),
        )
    assert set(error.value.message_dict) == {"paragraph", "proposed_text"}


def test_closed_consultation_takes_no_comment(consultation: Any, member_g1: Any) -> None:
    consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.opens_at = consultation.closes_at - datetime.timedelta(days=1)
    consultation.save()
    with pytest.raises(ValidationError) as error:
        actions.comment_submit(
            actor=member_g1, consultation=consultation, item=CommentInput(text="Muộn.")
        )
    assert "consultation" in error.value.message_dict


def test_member_comments_through_the_page(client: Any, consultation: Any, member_g1: Any) -> None:
    client.force_login(member_g1)
    page = client.get(f"/consultation/c/{consultation.pk}/")
    assert page.status_code == 200 and 'id="p3"' in page.content.decode()
    response = client.post(
        f"/consultation/c/{consultation.pk}/comment", {"text": "Góp ý đoạn 3.", "paragraph": "p3"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().paragraph.anchor == "p3"


def _token(user: Any) -> str:
    from daihoi.accounts.actions import api_token_create

    return str(api_token_create(actor=user, user=user, name="bench")[1])


def test_api_batch_is_all_or_nothing_and_names_the_bad_field(
    client: Any, consultation: Any, editor: Any
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(editor)}"}
    items = [
        {
            "text": "Ý kiến hội nghị.",
            "paragraph": "p1",
            "channel": "meeting",
            "unit": "C1",
            "meeting_ref": "Biên bản chi bộ",
        },
        {"text": "Ý kiến thứ hai.", "paragraph": "p99", "channel": "letter", "unit": "C2"},
    ]
    response = client.post(
        f"/api/v1/consultations/{consultation.pk}/comments/batch",
        json.dumps({"comments": items}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "comments.1.paragraph"
    assert not Comment.objects.exists()
    items[1]["paragraph"] = "p2"
    response = client.post(
        f"/api/v1/consultations/{consultation.pk}/comments/batch",
        json.dumps({"comments": items}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and response.json()["created"] == 2
    assert sorted(Comment.objects.values_list("level", flat=True)) == ["cell", "cell"]


def test_api_single_comment_and_schema_errors_name_the_field(
    client: Any, consultation: Any, member_g1: Any
) -> None:
    client.force_login(member_g1)
    url = f"/api/v1/consultations/{consultation.pk}/comments"
    bad = client.post(
        url, json.dumps({"text": "x", "kind": "praise"}), content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "kind"
    ok = client.post(
        url, json.dumps({"text": "Tán thành.", "paragraph": "p2"}), content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["level"] == "grassroots"


def test_consultation_outside_the_users_reach_is_404(
    client: Any, version: Any, editor: Any, province: dict[str, Any], member_c2: Any
) -> None:
    now = timezone.now()
    d1_only = actions.consultation_open(
        actor=editor,
        version=version,
        audience="subtree",
        audience_unit=province["d1"],
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    client.force_login(member_c2)
    assert client.get(f"/consultation/c/{d1_only.pk}/").status_code == 404
    assert client.get(f"/consultation/c/{d1_only.pk}/synthesis").status_code == 404
    assert client.get(f"/consultation/d/{version.draft_id}/").status_code == 404
    response = client.post(
        f"/api/v1/consultations/{d1_only.pk}/comments",
        json.dumps({"text": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/consultations/{d1_only.pk}/synthesis").status_code == 404
