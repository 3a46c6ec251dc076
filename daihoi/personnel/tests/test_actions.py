"""The personnel actions: pool, plan, four-eyes approval by the higher level, steps, dossiers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.core import hooks
from daihoi.core.models import AuditEvent
from daihoi.personnel import actions, queries
from daihoi.personnel.models import DossierItem, Plan, PlanCandidate, PoolEntry
from daihoi.personnel.tests.conftest import Desk

# At the district's reference month 06/2025 a man born 05/1969 retires 31/05/2031 (72 months);
# one born 04/1968 retires 30/04/2030: 59 months, one short of the 60 a first-timer needs.
TOO_OLD = datetime.date(1968, 4, 10)


def codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {e.code for errs in error.error_dict.values() for e in errs}
    return {e.code for e in error.error_list}


def _ready(desk: Desk, n: int = 2) -> list[PlanCandidate]:
    cands = [desk.reelection()] + [desk.first_time() for _ in range(n - 1)]
    for c in cands:
        desk.pass_steps(c)
    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    return cands


def test_a_first_time_candidate_must_come_from_the_pool(desk: Desk) -> None:
    person = desk.person()
    with pytest.raises(ValidationError) as error:
        actions.plan_candidate_add(actor=desk.preparer, plan=desk.plan, person=person)
    assert codes(error.value) == {"not_in_pool"}


def test_a_sitting_member_is_a_reelection_candidate(desk: Desk) -> None:
    assert desk.reelection().reelection and not desk.first_time().reelection


def test_the_working_time_failure_carries_its_figures(desk: Desk) -> None:
    candidate = desk.first_time(born=TOO_OLD)
    (check,) = [c for c in queries.candidate_checks(candidate) if c.fails]
    assert check.figures["left"] == 59 and check.figures["needs"] == 60
    assert check.figures["reference"] == datetime.date(2025, 6, 1)


def test_approval_refuses_a_plan_with_a_candidate_failing_a_hard_standard(desk: Desk) -> None:
    _ready(desk)
    failing = desk.first_time(born=TOO_OLD)
    desk.pass_steps(failing)
    with pytest.raises(ValidationError) as error:
        actions.plan_approve(actor=desk.higher, plan=desk.plan)
    assert "hard_standard_failed" in codes(error.value)
    assert "04/1968" in " ".join(error.value.messages) and "59" in " ".join(error.value.messages)
    actions.plan_candidate_remove(actor=desk.higher, candidate=failing, cause="hard_standard")
    # The one who removed him changed the list: a second organizer of the higher level approves.
    with pytest.raises(PermissionDenied):
        actions.plan_approve(actor=desk.higher, plan=desk.plan)
    plan = actions.plan_approve(actor=desk.higher2, plan=desk.plan)
    assert plan.state == Plan.State.APPROVED
    assert [p.pk for p in queries.approved_slate(desk.congress, "executive") or []] == [
        c.person_id for c in queries.plan_candidates(plan)
    ]


def test_only_the_higher_level_approves(desk: Desk) -> None:
    _ready(desk)
    with pytest.raises(PermissionDenied):
        actions.plan_approve(actor=desk.preparer, plan=desk.plan)


def test_the_preparer_never_approves_even_from_the_higher_level(desk: Desk) -> None:
    plan = actions.plan_create(actor=desk.higher, congress=desk.congress, body="standing", seats=1)
    person = desk.reelection().person
    from daihoi.organizations.models import CommitteeSeat

    CommitteeSeat.objects.create(
        unit=desk.congress.unit,
        person=person,
        body="standing",
        term_start=2020,
        term_end=2025,
        source="elected",
    )
    candidate = actions.plan_candidate_add(actor=desk.higher, plan=plan, person=person)
    desk.pass_steps(candidate, actor=desk.higher)
    desk.complete_dossier(candidate)
    actions.plan_submit(actor=desk.higher, plan=plan)
    with pytest.raises(PermissionDenied):
        actions.plan_approve(actor=desk.higher, plan=plan)
    assert actions.plan_approve(actor=desk.higher2, plan=plan).state == Plan.State.APPROVED


def test_every_step_must_be_passed_before_approval(desk: Desk) -> None:
    candidate = desk.reelection()
    desk.pass_steps(candidate, upto=4)
    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    with pytest.raises(ValidationError) as error:
        actions.plan_approve(actor=desk.higher, plan=desk.plan)
    assert codes(error.value) == {"introduction_incomplete"}


def test_an_approved_plan_is_frozen_until_reopened(desk: Desk) -> None:
    _ready(desk)
    actions.plan_approve(actor=desk.higher, plan=desk.plan)
    with pytest.raises(ValidationError) as error:
        desk.first_time()
    assert codes(error.value) == {"plan_frozen"}
    actions.plan_reopen(actor=desk.preparer, plan=desk.plan, reason="New cadre assigned")
    desk.plan.refresh_from_db()
    assert desk.plan.state == Plan.State.DRAFTING
    assert AuditEvent.objects.filter(action="plan_reopen").count() == 1


def test_another_app_can_block_approval_through_the_hook(desk: Desk) -> None:
    _ready(desk)

    def complaint(*, plan: Any) -> list[tuple[str, str]]:
        return [("complaint_open", "A complaint about a candidate is being handled.")]

    hooks.on_plan_approval(complaint)
    try:
        with pytest.raises(ValidationError) as error:
            actions.plan_approve(actor=desk.higher, plan=desk.plan)
        assert codes(error.value) == {"complaint_open"}
    finally:
        hooks.remove_plan_approval_provider(complaint)


def test_a_failed_step_takes_the_candidate_off_the_plan(desk: Desk) -> None:
    candidate = desk.reelection()
    actions.step_result_record(
        actor=desk.preparer, candidate=candidate, step=1, summoned=10, present=10, votes=5
    )
    candidate.refresh_from_db()
    assert candidate.removal_cause == PlanCandidate.Cause.FAILED_STEP


def test_step_two_needs_two_thirds_of_those_summoned_present(desk: Desk) -> None:
    candidate = desk.reelection()
    desk.pass_steps(candidate, upto=1)
    result = actions.step_result_record(
        actor=desk.preparer, candidate=candidate, step=2, summoned=30, present=19, votes=19
    )
    assert not result.passed


def test_reelection_candidates_go_through_a_step_first(desk: Desk) -> None:
    desk.reelection()
    newcomer = desk.first_time()
    with pytest.raises(ValidationError) as error:
        actions.step_result_record(
            actor=desk.preparer, candidate=newcomer, step=1, summoned=10, present=10, votes=8
        )
    assert codes(error.value) == {"reelection_first"}


def test_steps_come_in_order(desk: Desk) -> None:
    candidate = desk.reelection()
    with pytest.raises(ValidationError) as error:
        actions.step_result_record(
            actor=desk.preparer, candidate=candidate, step=2, summoned=10, present=10, votes=8
        )
    assert codes(error.value) == {"previous_step_missing"}


def test_discipline_removes_the_person_from_every_pool(desk: Desk) -> None:
    person = desk.person()
    actions.pool_entry_add(
        actor=desk.preparer,
        unit=desk.congress.unit,
        cycle=desk.cycle,
        person=person,
        body="executive",
        entered_on=datetime.date(2024, 1, 1),
    )
    actions.discipline_record(
        actor=desk.preparer,
        person=person,
        level="reprimand",
        decided_on=datetime.date(2025, 3, 1),
        authority="UBKT",
        number="12",
    )
    entry = PoolEntry.objects.get(person=person)
    assert entry.removal_cause == PoolEntry.Cause.DISCIPLINE and entry.removed_on is not None


def test_a_pool_import_is_all_or_nothing(desk: Desk) -> None:
    good = desk.person()
    rows = [
        {"member_code": good.member_code, "body": "executive", "entered_on": "2024-01-01"},
        {"member_code": "NOPE", "body": "executive", "entered_on": "2024-01-01"},
    ]
    with pytest.raises(ValidationError) as error:
        actions.pool_import(
            actor=desk.preparer, unit=desk.congress.unit, cycle=desk.cycle, rows=rows
        )
    assert codes(error.value) == {"pool_import_invalid"}
    assert not PoolEntry.objects.exists()


# Dossiers ----------------------------------------------------------------------------------


def _authority_item(
    desk: Desk, candidate: PlanCandidate, kind: str = "health_certificate"
) -> DossierItem:
    return actions.dossier_item_record(
        actor=desk.preparer,
        candidate=candidate,
        provenance="authority",
        kind=kind,
        summary="Giấy khám sức khỏe",
        authority="Bệnh viện tỉnh",
        number="123/GKSK",
        issued_on=datetime.date(2025, 5, 2),
    )


@translation.override("en")
def test_a_conclusion_may_cite_only_verified_authority_items(desk: Desk) -> None:
    candidate = desk.reelection()
    item = _authority_item(desk, candidate)
    lead = actions.dossier_item_record(
        actor=desk.preparer,
        candidate=candidate,
        provenance="social_network",
        summary="Facebook post",
    )
    with pytest.raises(ValidationError) as error:
        actions.vetting_conclusion_record(
            actor=desk.higher, candidate=candidate, text="Meets", cited=[item]
        )
    assert codes(error.value) == {"citation_not_allowed"}
    assert "competent authority" in " ".join(error.value.messages)
    with pytest.raises(PermissionDenied):  # four eyes: not the one who recorded it
        actions.dossier_item_verify(actor=desk.preparer, item=item, against="original")
    actions.dossier_item_verify(actor=desk.higher, item=item, against="hospital register")
    item.refresh_from_db()
    conclusion = actions.vetting_conclusion_record(
        actor=desk.higher, candidate=candidate, text="Meets", cited=[item]
    )
    assert list(conclusion.cited.all()) == [item]
    with pytest.raises(ValidationError) as error:
        actions.vetting_conclusion_record(
            actor=desk.higher, candidate=candidate, text="Does not meet", cited=[lead]
        )
    assert codes(error.value) == {"citation_not_allowed"}
    with pytest.raises(ValidationError) as error:
        actions.dossier_item_verify(actor=desk.higher, item=lead, against="screenshot")
    assert codes(error.value) == {"lead_not_verifiable"}


def test_an_authority_item_needs_its_issuer_number_and_date(desk: Desk) -> None:
    candidate = desk.reelection()
    with pytest.raises(ValidationError) as error:
        actions.dossier_item_record(
            actor=desk.preparer,
            candidate=candidate,
            provenance="authority",
            kind="degrees",
            summary="Bằng",
        )
    assert set(error.value.message_dict) == {"authority", "number", "issued_on"}


def test_the_checklist_shows_missing_items_with_the_due_date(desk: Desk) -> None:
    candidate = desk.reelection(dossier=False)
    _authority_item(desk, candidate)
    rows = {r.code: r for r in queries.dossier_checklist(candidate)}
    assert rows["health_certificate"].state == "unverified"
    assert rows["degrees"].state == "missing"
    # 15 working days before Monday 14/07/2025.
    assert rows["degrees"].due_on == datetime.date(2025, 6, 23)


def test_dossiers_are_for_organizers_and_inspectors_and_every_view_is_logged(desk: Desk) -> None:
    from django.http import Http404

    candidate = desk.reelection()
    outsider = testing.make_user(username="org_d2", role="organizer", unit=desk.province["d2"])
    lower = testing.make_user(username="org_g1", role="organizer", unit=desk.province["g1"])
    member = testing.make_user(username="member_d1", role="member", unit=desk.province["d1"])
    for user in (outsider, lower, member):
        with pytest.raises(Http404):
            queries.access_candidate_by_id(user, candidate.pk)
    for user in (desk.preparer, desk.higher, desk.inspector):
        assert queries.access_candidate_by_id(user, candidate.pk) == candidate
        actions.dossier_view_record(actor=user, candidate=candidate)
    assert queries.dossier_view_count(candidate) == 3
    subject = testing.make_user(username="subject", person=candidate.person)
    assert [n for _c, n in queries.my_dossier_views(subject)] == [3]


def test_actions_are_audited(desk: Desk) -> None:
    desk.reelection()
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "plan_create",
        "plan_candidate_add",
    }


def test_the_system_can_prepare_but_a_plan_is_approved_only_through_the_checks(desk: Desk) -> None:
    _ready(desk)
    failing = desk.first_time(born=TOO_OLD)
    desk.pass_steps(failing)
    with pytest.raises(ValidationError):
        actions.plan_approve(actor=SYSTEM, plan=desk.plan)


def test_an_appointed_committee_follows_the_appointment_procedure(desk: Desk) -> None:
    from daihoi.congresses.models import Congress
    from daihoi.organizations.models import CommitteeSeat

    merged = Congress.objects.create(
        cycle=desk.cycle,
        unit=desk.province["d2"],
        congress_type="merged",
        bodies=Congress.Bodies.APPOINTED,
        merged=True,
    )
    plan = actions.plan_create(actor=desk.higher, congress=merged, body="executive", seats=1)
    assert plan.procedure == Plan.Procedure.APPOINTMENT
    person = desk.person(unit=desk.province["g2"])
    CommitteeSeat.objects.create(
        unit=merged.unit,
        person=person,
        body="executive",
        term_start=2020,
        term_end=2025,
        source="elected",
    )
    candidate = actions.plan_candidate_add(actor=desk.higher, plan=plan, person=person)
    with pytest.raises(ValidationError) as error:
        actions.step_result_record(
            actor=desk.higher, candidate=candidate, step=1, summoned=10, present=10, votes=9
        )
    assert codes(error.value) == {"appointment_procedure"}
    desk.complete_dossier(candidate, recorder=desk.higher, verifier=SYSTEM)
    actions.plan_submit(actor=desk.higher, plan=plan)
    assert actions.plan_approve(actor=desk.higher2, plan=plan).state == Plan.State.APPROVED
