from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.congresses.models import Congress, Cycle
from daihoi.consultation import actions
from daihoi.consultation.models import Consultation

DRAFT_MD = """# I. Đánh giá nhiệm kỳ

Nhiệm kỳ qua, kinh tế của tỉnh tăng trưởng khá, bình quân 7,5% mỗi năm.

Công tác xây dựng Đảng được chú trọng, chất lượng sinh hoạt chi bộ được nâng lên.

# II. Mục tiêu nhiệm kỳ mới

Phấn đấu đến năm 2030 tỉnh trở thành tỉnh công nghiệp theo hướng hiện đại.

Đẩy mạnh chuyển đổi số, xây dựng chính quyền số và kinh tế số.
"""


@pytest.fixture
def settings_tasks(settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DAIHOI_CHALLENGE_MIN_SECONDS = 0
    return settings


@pytest.fixture
def cycle(province: dict[str, Any]) -> Cycle:
    return Cycle.objects.create(
        name="2025–2030",
        term_start=2025,
        term_end=2030,
        rulebook_id="vn-cpv-2025",
        root=province["province"],
    )


@pytest.fixture
def congresses(province: dict[str, Any], cycle: Cycle) -> dict[str, Congress]:
    return {
        key: Congress.objects.create(cycle=cycle, unit=unit, congress_type="full")
        for key, unit in province.items()
    }


@pytest.fixture
def editor(province: dict[str, Any]) -> Any:
    return testing.make_user(
        username="editor_p", role=Role.DOCUMENT_EDITOR, unit=province["province"]
    )


@pytest.fixture
def moderator(province: dict[str, Any]) -> Any:
    return testing.make_user(username="mod_p", role=Role.MODERATOR, unit=province["province"])


@pytest.fixture
def draft(congresses: dict[str, Congress], editor: Any) -> Any:
    return actions.draft_create(
        actor=editor,
        congress=congresses["province"],
        kind="political_report",
        title="Báo cáo chính trị Đại hội Đảng bộ tỉnh",
    )


@pytest.fixture
def version(draft: Any, editor: Any) -> Any:
    return actions.draft_version_import(
        actor=editor, draft=draft, source_format="markdown", data=DRAFT_MD
    )


def make_member(unit: Any, username: str) -> Any:
    person = testing.make_person(unit=unit)
    return testing.make_user(username=username, role=Role.MEMBER, unit=unit, person=person)


@pytest.fixture
def member_g1(province: dict[str, Any]) -> Any:
    return make_member(province["g1"], "member_g1")


@pytest.fixture
def member_c2(province: dict[str, Any]) -> Any:
    return make_member(province["c2"], "member_c2")


@pytest.fixture
def consultation(version: Any, editor: Any) -> Consultation:
    now = timezone.now()
    return actions.consultation_open(
        actor=editor,
        version=version,
        audience="subtree",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )


@pytest.fixture
def public_consultation(version: Any, editor: Any) -> Consultation:
    now = timezone.now()
    return actions.consultation_open(
        actor=editor,
        version=version,
        audience="public",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Pages are asserted on their English text; the catalogs are checked elsewhere."""
    settings.LANGUAGE_CODE = "en"
