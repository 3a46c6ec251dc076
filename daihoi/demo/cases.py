"""Demo complaints, denunciations and feedback about the provincial congress.

- a denunciation about one of the provincial plan's candidates, received inside the cut-off
  and under verification (the plan shows the flag and cannot be approved as it stands);
- an anonymous letter, recorded and not handled on that ground;
- a complaint received too late, passed to the new committee;
- public feedback on the congress's preparation (three near-duplicates and one other), one
  with a published reply.

Everything goes through the cases actions; idempotent.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import User
from daihoi.cases import actions, queries
from daihoi.cases.models import Case
from daihoi.congresses.models import Congress, Cycle
from daihoi.core import clock
from daihoi.demo.cycle import AS_OF, CYCLE_NAME
from daihoi.demo.province import ROOT_CODE
from daihoi.organizations.models import Person, Unit
from daihoi.personnel.models import PlanCandidate

INSPECTOR, SECOND = "thanhtra", "thanhtra2"


def _after_cutoff(congress: Congress, working_days: int) -> tuple[datetime.date, datetime.date]:
    """(postmark, receipt) a few working days after the cut-off, never after today."""
    cutoff = queries.cutoff_of(congress) or queries.today()
    cal = queries.calendar()
    postmark = cutoff
    for _n in range(working_days):
        postmark += datetime.timedelta(days=1)
        while not cal.is_working_day(postmark):
            postmark += datetime.timedelta(days=1)
    received = postmark + datetime.timedelta(days=2)
    today = queries.today()
    return min(postmark, today), min(received, today)


def _denunciation(congress: Congress, candidate: PlanCandidate, inspector: User) -> None:
    postmark, received = _after_cutoff(congress, 2)
    case = actions.case_record(
        actor=SYSTEM,
        item=actions.CaseInput(
            kind=Case.Kind.DENUNCIATION,
            unit=congress.unit,
            congress=congress,
            person=candidate.person,
            subject="Kê khai tài sản không trung thực",
            content=(
                "Đồng chí được giới thiệu tái cử không kê khai một thửa đất đứng tên người "
                "thân tại thành phố Hải Dương. Kèm theo bản sao giấy chứng nhận."
            ),
        ),
        channel=Case.Channel.LETTER,
        sender=actions.Sender(
            name="Phạm Văn Đức", address="Số 12 đường Trần Phú, thành phố Hải Dương"
        ),
        received_on=received,
        postmark_on=postmark,
    )
    actions.case_decide(actor=SYSTEM, case=case, admissible=True, on=received)
    actions.case_assign(actor=SYSTEM, case=case, inspector=inspector)
    actions.case_step_record(
        actor=SYSTEM,
        case=case,
        kind="verification",
        on=received,
        note="Đề nghị Văn phòng đăng ký đất đai cung cấp hồ sơ thửa đất.",
    )


def _anonymous_letter(root: Unit) -> None:
    district = Unit.objects.filter(code=f"{ROOT_CODE}-KM").first() or root
    person = (
        Person.objects.filter(unit__path__startswith=district.path, status="active")
        .order_by("member_code")
        .first()
    )
    if person is None:
        return
    received = min(datetime.date(2025, 6, 16), queries.today())
    case = actions.case_record(
        actor=SYSTEM,
        item=actions.CaseInput(
            kind=Case.Kind.DENUNCIATION,
            unit=district,
            person=person,
            subject="Thư không ký tên",
            content="Thư không ghi tên, địa chỉ người gửi, phản ánh chung chung về một cán bộ.",
        ),
        channel=Case.Channel.LETTER,
        sender=actions.Sender(),
        received_on=received,
        postmark_on=received - datetime.timedelta(days=3),
    )
    actions.case_decide(actor=SYSTEM, case=case, admissible=False, ground="anonymous", on=received)


def _late_complaint(congress: Congress) -> None:
    _postmark, received = _after_cutoff(congress, 10)
    case = actions.case_record(
        actor=SYSTEM,
        item=actions.CaseInput(
            kind=Case.Kind.COMPLAINT,
            unit=congress.unit,
            congress=congress,
            subject="Khiếu nại quyết định kỷ luật khiển trách",
            content="Tôi khiếu nại quyết định kỷ luật khiển trách đối với tôi năm 2024.",
        ),
        channel=Case.Channel.VISIT,
        sender=actions.Sender(name="Vũ Thị Lan", address="Thị xã Kinh Môn"),
        received_on=received,
    )
    if case.inside_cutoff:
        actions.case_hand_over(
            actor=SYSTEM, case=case, note="Nhận sau thời hạn; chuyển cấp ủy khóa mới giải quyết."
        )


FEEDBACK = [
    "Đề nghị tăng tỷ lệ cán bộ trẻ dưới 40 tuổi trong danh sách ban chấp hành khóa mới.",
    "Đề nghị tăng tỷ lệ cán bộ trẻ dưới 40 tuổi trong danh sách ban chấp hành khóa mới!",
    "Đề nghị tăng tỷ lệ cán bộ trẻ dưới 40 tuổi trong danh sách ban chấp hành khoá mới.",
]


def _feedback(congress: Congress) -> None:
    cases = [
        actions.case_submit_public(
            item=actions.CaseInput(
                kind=Case.Kind.FEEDBACK,
                unit=congress.unit,
                congress=congress,
                subject="Cơ cấu cán bộ trẻ",
                content=text,
                topic=Case.Topic.PERSONNEL,
            ),
            sender=actions.Sender(),
        )
        for text in FEEDBACK
    ]
    documents = actions.case_submit_public(
        item=actions.CaseInput(
            kind=Case.Kind.FEEDBACK,
            unit=congress.unit,
            congress=congress,
            subject="Dự thảo báo cáo chính trị",
            content="Dự thảo nên nêu rõ hơn các chỉ tiêu về chuyển đổi số của tỉnh.",
            topic=Case.Topic.DOCUMENTS,
        ),
        sender=actions.Sender(name="Nguyễn Thị Mai", contact="mai@example.org"),
    )
    actions.feedback_reply(
        actor=SYSTEM,
        case=documents,
        reply="Tiểu ban Văn kiện đã bổ sung chỉ tiêu chuyển đổi số vào mục III của dự thảo.",
        publish=True,
    )
    actions.feedback_consider(actor=SYSTEM, case=cases[0])


def build(*, root: Unit | None = None, stdout: object = None) -> None:
    root = root or Unit.objects.filter(code=ROOT_CODE).first()
    cycle = Cycle.objects.filter(root=root, name=CYCLE_NAME).first() if root else None
    inspector = User.objects.filter(username=INSPECTOR).first()
    if root is None or cycle is None or inspector is None:
        return
    if Case.objects.exists():
        _say(stdout, "The cases exist; not building them again.")
        return
    congress = Congress.objects.select_related("unit", "cycle").get(cycle=cycle, unit=root)
    candidate = (
        PlanCandidate.objects.filter(plan__congress=congress, removed_at__isnull=True)
        .order_by("-reelection", "person__member_code")
        .first()
    )
    # The scene happens inside the provincial congress's cut-off window, after the demo's day:
    # it is built as of three weeks past the cut-off, so letters can be dated inside it.
    cutoff = queries.cutoff_of(congress)
    scene_day = max(cutoff + datetime.timedelta(days=21), AS_OF) if cutoff else AS_OF
    with clock.pinned(scene_day), transaction.atomic():
        if candidate is not None:
            _denunciation(congress, candidate, inspector)
        _anonymous_letter(root)
        _late_complaint(congress)
        _feedback(congress)
    _say(stdout, "Cases: a denunciation under verification, a letter not handled, feedback.")


def _say(stdout: object, text: str) -> None:
    write = getattr(stdout, "write", None)
    if write is not None:
        write(text + "\n")
