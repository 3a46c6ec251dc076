"""Journey: a grassroots member comments on paragraph 3 of the provincial draft; an editor
finds the group the comment fell into and marks it incorporated into version 2; the member
sees that disposition. Then a moderator searches the comments without diacritics, pages
through the results, hides every match at once with one reason, and undoes it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress, Cycle
from daihoi.consultation import actions
from daihoi.consultation.actions import CommentInput
from daihoi.consultation.models import Comment

DRAFT = """# I. Đánh giá nhiệm kỳ

Kinh tế của tỉnh tăng trưởng khá, bình quân 7,5% mỗi năm.

Công tác xây dựng Đảng được chú trọng.

# II. Mục tiêu

Đẩy mạnh chuyển đổi số, xây dựng chính quyền số và kinh tế số.
"""
COMMENT = "Đề nghị bổ sung chỉ tiêu cụ thể về chuyển đổi số cho cấp xã trong đoạn này."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_member_comment_is_grouped_incorporated_and_seen(
    live_server: Any, page: Any, login: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"
    page.set_default_timeout(120_000)  # the shared CI machine can be slow
    page.set_default_navigation_timeout(120_000)
    units = testing.make_province()
    cycle = Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=units["province"],
    )
    congress = Congress.objects.create(cycle=cycle, unit=units["province"], congress_type="full")
    editor = testing.make_user(username="editor", role=Role.DOCUMENT_EDITOR, unit=units["province"])
    draft = actions.draft_create(
        actor=editor, congress=congress, kind="political_report", title="Báo cáo chính trị tỉnh"
    )
    version = actions.draft_version_import(
        actor=editor, draft=draft, source_format="markdown", data=DRAFT
    )
    now = timezone.now()
    consultation = actions.consultation_open(
        actor=editor,
        version=version,
        audience="subtree",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=20),
    )
    testing.make_user(
        username="member",
        role=Role.MEMBER,
        unit=units["g1"],
        person=testing.make_person(unit=units["g1"], full_name="Nguyễn Thị Lan"),
    )
    other = testing.make_user(
        role=Role.MEMBER, unit=units["g2"], person=testing.make_person(unit=units["g2"])
    )
    actions.comment_submit(
        actor=other,
        consultation=consultation,
        item=CommentInput(text=COMMENT.replace("Đề nghị", "Tôi đề nghị"), paragraph="p3"),
    )

    # the member comments on paragraph 3
    login("member")
    page.goto(f"{live_server.url}/consultation/")
    page.click("text=Báo cáo chính trị tỉnh")
    page.click("#p3 summary")
    page.fill("#text-p3", COMMENT)
    page.click("#p3 button[type=submit]")
    page.wait_for_selector("text=Your comment was recorded")
    mine = Comment.objects.get(author__username="member")
    assert mine.paragraph.number == 3 and mine.level == "grassroots"

    # the editor runs the synthesis and marks the comment's group incorporated into version 2
    page.context.clear_cookies()
    login("editor")
    page.goto(f"{live_server.url}/consultation/c/{consultation.pk}/synthesis")
    page.click("text=Run synthesis")
    page.wait_for_selector("#run >> text=done")
    page.click("text=3. Đẩy mạnh chuyển đổi số")
    mine.refresh_from_db()
    group = page.locator(f"#group-{mine.group_id}")
    assert "2 comments" in group.inner_text()
    group.locator("select[name=status]").select_option("incorporated")
    group.locator("input[name=version_number]").fill("2")
    group.locator("button[type=submit]").click()
    page.wait_for_selector("text=Disposition recorded")
    assert "incorporated" in page.locator(f"#group-{mine.group_id}").inner_text()

    # the member sees the disposition of their comment
    page.context.clear_cookies()
    login("member")
    page.goto(f"{live_server.url}/consultation/mine/")
    row = page.locator("tr.my-comment")
    assert row.count() == 1
    assert "incorporated" in row.inner_text() and "into version 2" in row.inner_text()

    # a moderator searches without diacritics, pages through the matches, hides them all
    # with one reason, then undoes it
    settings.DAIHOI_PAGE_SIZE = 2
    testing.make_user(username="moderator", role=Role.MODERATOR, unit=units["province"])
    actions.comments_ingest(
        actor=editor,
        consultation=consultation,
        items=[
            CommentInput(text=f"Quảng cáo {i}: mua hàng giá rẻ!", channel="letter", unit="G1")
            for i in range(3)
        ],
    )
    page.context.clear_cookies()
    login("moderator")
    page.goto(f"{live_server.url}/consultation/c/{consultation.pk}/moderation")
    page.fill("#comment-search input[name=q]", "quang cao mua")
    page.click("#comment-search button[type=submit]")
    page.wait_for_selector("#bulk-moderation")
    assert page.locator("div.card[id^=comment-]").count() == 2
    page.click("a.next-page")
    page.wait_for_selector("a.first-page")
    assert page.locator("div.card[id^=comment-]").count() == 1
    assert "Quảng cáo 0" in page.locator("div.card[id^=comment-]").inner_text()
    page.fill("#bulk-moderation input[name=reason]", "Quảng cáo")
    page.click("#bulk-moderation button[value=hide]")
    page.wait_for_selector("text=3 comments hidden.")
    assert Comment.objects.filter(hidden=True, hidden_reason="Quảng cáo").count() == 3
    page.click("#moderation-batches button[type=submit]")
    page.wait_for_selector("text=Moderation undone.")
    assert not Comment.objects.filter(hidden=True).exists()
