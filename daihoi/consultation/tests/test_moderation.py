"""Moderators hide comments with a reason and restore them; both are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from daihoi.consultation import actions, queries
from daihoi.consultation.actions import CommentInput
from daihoi.core.models import AuditEvent


@pytest.fixture
def comment(consultation: Any, member_g1: Any) -> Any:
    return actions.comment_submit(
        actor=member_g1, consultation=consultation, item=CommentInput(text="Lời lẽ không phù hợp.")
    )


def test_hiding_needs_a_reason_and_is_audited(comment: Any, moderator: Any) -> None:
    with pytest.raises(ValidationError):
        actions.comment_hide(actor=moderator, comment=comment, reason="  ")
    actions.comment_hide(actor=moderator, comment=comment, reason="Xúc phạm cá nhân")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Xúc phạm cá nhân"
    assert not queries.visible_comments(comment.consultation).exists()
    event = AuditEvent.objects.get(action="comment_hide")
    assert event.changes == {"reason": "Xúc phạm cá nhân"} and event.actor_label == "mod_p"


def test_restore_brings_the_comment_back_and_is_audited(comment: Any, moderator: Any) -> None:
    actions.comment_hide(actor=moderator, comment=comment, reason="Nhầm lẫn")
    actions.comment_restore(actor=moderator, comment=comment)
    comment.refresh_from_db()
    assert not comment.hidden and comment.hidden_reason == ""
    assert AuditEvent.objects.get(action="comment_restore").changes == {
        "hidden_reason_was": "Nhầm lẫn"
    }


def test_editors_are_not_moderators(comment: Any, editor: Any) -> None:
    with pytest.raises(PermissionDenied):
        actions.comment_hide(actor=editor, comment=comment, reason="x")


def test_moderation_through_the_page(client: Any, comment: Any, moderator: Any) -> None:
    client.force_login(moderator)
    page = client.get(f"/consultation/c/{comment.consultation_id}/moderation")
    assert page.status_code == 200
    client.post(f"/consultation/comments/{comment.pk}/hide", {"reason": "Spam"})
    comment.refresh_from_db()
    assert comment.hidden
