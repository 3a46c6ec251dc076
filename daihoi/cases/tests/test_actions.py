"""Intake, admissibility, handling with four eyes, and the effect on candidacy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import Role
from daihoi.cases import actions, queries
from daihoi.cases.models import Case, OpeningReport
from daihoi.cases.tests.conftest import CUTOFF, Office, codes
from daihoi.core import hooks
from daihoi.core.models import AuditEvent
from daihoi.personnel import actions as personnel
from daihoi.personnel.models import Plan, PlanCandidate
from daihoi.rulebooks.loader import load_rulebook

GROUNDS = load_rulebook("vn-cpv-2025").complaints.not_handled_grounds.value


def test_a_member_denounces_a_candidate_from_their_account(office: Office) -> None:
    case = office.denounce()
    assert case.channel == "account" and case.state == "received"
    assert case.candidate == office.candidate and case.congress == office.desk.congress
    assert case.sender_user == office.member and case.sender_name == "Lê Thị Hoa"
    assert case.dated_on == datetime.date(2025, 6, 10) and case.inside_cutoff
    event = AuditEvent.objects.get(action="case_receive")
    assert "Lê Thị Hoa" not in str(event.changes) and "member_g1" not in str(event.changes)


def test_a_letter_counts_from_its_postmark(office: Office) -> None:
    case = office.letter(received=datetime.date(2025, 6, 5), postmark=CUTOFF)
    assert case.dated_on == CUTOFF and not case.inside_cutoff
    late = office.letter(received=datetime.date(2025, 6, 5), postmark=datetime.date(2025, 6, 3))
    assert late.inside_cutoff
    assert case.recorded_by == office.inspector


def test_a_postmark_after_receipt_is_refused(office: Office) -> None:
    with pytest.raises(ValidationError) as error:
        office.letter(received=datetime.date(2025, 6, 5), postmark=datetime.date(2025, 6, 6))
    assert codes(error.value) == {"postmark_after_receipt"}


def test_a_denunciation_names_its_person(office: Office) -> None:
    with pytest.raises(ValidationError) as error:
        office.denounce(person=None)
    assert codes(error.value) == {"person_required"}


def test_only_an_inspector_records_a_letter(office: Office) -> None:
    with pytest.raises(PermissionDenied):
        actions.case_record(
            actor=office.desk.preparer,
            item=actions.CaseInput(
                kind="complaint", unit=office.desk.congress.unit, subject="s", content="c"
            ),
            channel="letter",
            sender=actions.Sender(name="A"),
            received_on=datetime.date(2025, 6, 5),
        )


@pytest.mark.parametrize("ground", GROUNDS)
def test_a_case_not_handled_is_kept_with_its_ground_and_counted(
    office: Office, ground: str
) -> None:
    case = office.letter()
    decided = actions.case_decide(
        actor=office.inspector, case=case, admissible=False, ground=ground
    )
    assert decided.state == "not_handled" and decided.ground == ground and decided.due_on is None
    register = queries.register(office.inspector)
    assert queries.filter_register(register, state="not_handled").count() == 1
    assert AuditEvent.objects.filter(action="case_decide").count() == 1


def test_a_ground_outside_the_rulebook_is_refused(office: Office) -> None:
    with pytest.raises(ValidationError) as error:
        actions.case_decide(
            actor=office.inspector, case=office.letter(), admissible=False, ground="rude"
        )
    assert codes(error.value) == {"unknown_ground"}


def test_an_anonymous_letter_is_never_handled_as_a_denunciation(office: Office) -> None:
    case = office.letter(name="")
    with pytest.raises(ValidationError) as error:
        office.accept(case)
    assert codes(error.value) == {"anonymous_not_admissible"}
    actions.case_decide(actor=office.inspector, case=case, admissible=False, ground="anonymous")


def test_anonymous_feedback_from_the_public_is_taken_as_feedback(office: Office) -> None:
    case = actions.case_submit_public(
        item=actions.CaseInput(
            kind="feedback",
            unit=office.desk.congress.unit,
            congress=office.desk.congress,
            subject="Too few young candidates",
            content="The list should include more young cadres.",
            topic="personnel",
        ),
        sender=actions.Sender(),
    )
    assert case.anonymous and case.kind == "feedback" and case.channel == "public_form"
    with pytest.raises(ValidationError) as error:
        office.accept(case)
    assert codes(error.value) == {"feedback_not_decided"}


def test_an_accepted_case_is_due_in_90_days_at_district_level(office: Office) -> None:
    case = office.accept(office.letter(), on=datetime.date(2025, 6, 6))
    assert case.state == "accepted" and case.due_on == datetime.date(2025, 9, 4)
    extended = actions.case_extend(actor=office.inspector, case=case, reason="Witness abroad")
    assert extended.due_on == datetime.date(2025, 10, 4) and extended.extension_days == 30
    with pytest.raises(ValidationError) as error:
        actions.case_extend(actor=office.inspector, case=extended, reason="Again")
    assert codes(error.value) == {"no_extension"}


def test_a_centrally_managed_cadre_gets_180_plus_60_days(office: Office) -> None:
    case = office.accept(office.letter(), on=datetime.date(2025, 6, 6), centrally_managed=True)
    assert case.due_on == datetime.date(2025, 12, 3)
    extended = actions.case_extend(actor=office.inspector, case=case, reason="Complex")
    assert extended.due_on == datetime.date(2026, 2, 1)


def test_a_province_case_is_due_in_90_and_a_national_one_in_180(province: dict) -> None:
    inspector = testing.make_user(username="insp_p", role=Role.INSPECTOR, unit=province["province"])
    case = actions.case_record(
        actor=inspector,
        item=actions.CaseInput(
            kind="complaint", unit=province["province"], subject="Discipline", content="Unfair."
        ),
        channel="visit",
        sender=actions.Sender(name="Phạm Văn Cường", address="Hải Dương"),
        received_on=datetime.date(2025, 6, 2),
    )
    accepted = actions.case_decide(
        actor=inspector, case=case, admissible=True, on=datetime.date(2025, 6, 2)
    )
    assert accepted.due_on == datetime.date(2025, 8, 31)
    nation = testing.make_unit(code="TW", name="Trung ương", level="national")
    assert queries.resolution_days(Case(unit=nation))[0] == 180


def test_four_eyes_on_the_conclusion(office: Office) -> None:
    case = office.accept(office.denounce())
    actions.case_assign(actor=office.inspector, case=case, inspector=office.inspector)
    actions.case_step_record(
        actor=office.inspector, case=case, kind="verification", on=datetime.date(2025, 6, 10)
    )
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="unfounded", conclusion="No evidence."
    )
    with pytest.raises(PermissionDenied):
        actions.case_conclusion_approve(actor=office.inspector, case=case)
    with pytest.raises(PermissionDenied):
        actions.case_conclusion_approve(actor=office.desk.preparer, case=case)
    done = actions.case_conclusion_approve(actor=office.inspector2, case=case)
    assert done.state == "concluded" and done.approved_by == office.inspector2
    office.candidate.refresh_from_db()
    assert office.candidate.active


def test_the_second_inspector_sends_a_conclusion_back_with_a_reason(office: Office) -> None:
    case = office.accept(office.denounce())
    actions.case_assign(actor=office.inspector, case=case, inspector=office.inspector)
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="founded", conclusion="The plot is his."
    )
    with pytest.raises(PermissionDenied):  # not by who prepared it
        actions.case_conclusion_return(actor=office.inspector, case=case, reason="more")
    with pytest.raises(ValidationError) as error:
        actions.case_conclusion_return(actor=office.inspector2, case=case, reason=" ")
    assert "reason" in error.value.message_dict
    back = actions.case_conclusion_return(
        actor=office.inspector2, case=case, reason="Ask the land office for the deed."
    )
    assert back.state == "verifying" and back.outcome == "" and back.prepared_by is None
    assert back.conclusion == "The plot is his."  # kept for the preparer to rework
    assert "Ask the land office" in back.steps.get(kind="note").note
    event = AuditEvent.objects.get(action="case_conclusion_return")
    assert event.changes["reason"] == "Ask the land office for the deed."
    with pytest.raises(ValidationError):  # nothing to approve any more
        actions.case_conclusion_approve(actor=office.inspector2, case=case)
    office.candidate.refresh_from_db()
    assert office.candidate.active  # a returned conclusion has no effect


def test_a_complaint_is_upheld_or_rejected_not_founded(office: Office) -> None:
    case = office.accept(office.letter(kind="complaint"))
    with pytest.raises(ValidationError) as error:
        actions.case_conclusion_prepare(
            actor=office.inspector, case=case, outcome="founded", conclusion="x"
        )
    assert codes(error.value) == {"unknown_outcome"}


def test_the_case_is_given_only_to_an_inspector_of_its_unit(office: Office) -> None:
    case = office.accept(office.letter())
    with pytest.raises(ValidationError) as error:
        actions.case_assign(actor=office.inspector, case=case, inspector=office.desk.preparer)
    assert codes(error.value) == {"not_an_inspector"}


def _ready_plan(office: Office) -> Plan:
    desk = office.desk
    desk.pass_steps(office.candidate)
    personnel.plan_submit(actor=desk.preparer, plan=desk.plan)
    return desk.plan


def test_an_open_case_inside_the_cut_off_blocks_the_plan_until_the_higher_level_proceeds(
    office: Office,
) -> None:
    case = office.accept(office.denounce())
    plan = _ready_plan(office)
    with pytest.raises(ValidationError) as error:
        personnel.plan_approve(actor=office.desk.higher, plan=plan)
    assert codes(error.value) == {"case_open_about_candidate"}
    with pytest.raises(PermissionDenied):
        actions.case_proceed(actor=office.desk.preparer, case=case, reason="Own unit")
    actions.case_proceed(actor=office.desk.higher, case=case, reason="Verified: old matter")
    assert personnel.plan_approve(actor=office.desk.higher, plan=plan).state == "approved"


def test_a_case_before_the_cut_off_or_not_yet_accepted_does_not_block(office: Office) -> None:
    office.letter()  # received, not decided
    office.accept(office.letter(postmark=CUTOFF))  # in time for resolution
    plan = _ready_plan(office)
    assert personnel.plan_approve(actor=office.desk.higher, plan=plan).state == "approved"


def test_the_candidate_line_shows_the_case_but_never_its_content(office: Office) -> None:
    case = office.accept(office.denounce())
    (note,) = hooks.candidate_notes(candidate=office.candidate)
    assert note == "denunciation accepted, due 09/08/2025"
    assert "land" not in note.lower() and "Hoa" not in note
    assert case.content not in note


def test_a_founded_denunciation_takes_the_candidate_off_the_plan(office: Office) -> None:
    case = office.accept(office.denounce())
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="founded", conclusion="Confirmed by records."
    )
    actions.case_conclusion_approve(actor=office.inspector2, case=case)
    candidate = PlanCandidate.objects.get(pk=office.candidate.pk)
    assert not candidate.active and candidate.removal_cause == "complaint"
    assert str(case.pk) in candidate.removal_note
    assert AuditEvent.objects.filter(action="plan_candidate_remove").count() == 1
    # The plan no longer carries the flag: its candidate left.
    assert hooks.plan_blocking_flags(plan=office.desk.plan) == []


def test_a_founded_denunciation_reopens_an_approved_plan_to_remove_the_candidate(
    office: Office,
) -> None:
    case = office.accept(office.letter(postmark=CUTOFF))
    plan = _ready_plan(office)
    personnel.plan_approve(actor=office.desk.higher, plan=plan)
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="founded", conclusion="Confirmed."
    )
    actions.case_conclusion_approve(actor=office.inspector2, case=case)
    plan.refresh_from_db()
    assert plan.state == "drafting"
    assert not PlanCandidate.objects.get(pk=office.candidate.pk).active


def test_an_unfounded_conclusion_clears_the_flag(office: Office) -> None:
    case = office.accept(office.denounce())
    plan = _ready_plan(office)
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="unfounded", conclusion="Not proven."
    )
    assert hooks.plan_blocking_flags(plan=plan) != []  # not in effect before approval
    actions.case_conclusion_approve(actor=office.inspector2, case=case)
    assert hooks.plan_blocking_flags(plan=plan) == []
    assert hooks.candidate_notes(candidate=office.candidate) == [
        "denunciation concluded: unfounded"
    ]


def test_a_late_complaint_is_passed_to_the_new_committee(office: Office) -> None:
    late = office.letter(kind="complaint", postmark=None)
    assert late.inside_cutoff
    handed = actions.case_hand_over(actor=office.inspector, case=late, note="Too late")
    assert handed.state == "handed_over"
    early = office.letter(kind="complaint", postmark=CUTOFF)
    with pytest.raises(ValidationError) as error:
        actions.case_hand_over(actor=office.inspector, case=early)
    assert codes(error.value) == {"not_inside_cutoff"}


def test_unconcluded_cases_are_reported_when_the_congress_convenes(office: Office) -> None:
    open_case = office.accept(office.denounce())
    office.letter()  # received, not yet decided: reported too
    hooks.congress_transitioned(actor=SYSTEM, congress=office.desk.congress, transition="convene")
    report = OpeningReport.objects.get(congress=office.desk.congress)
    assert open_case in report.cases.all() and report.cases.count() == 2
    assert AuditEvent.objects.filter(action="cases_report_on_convening").count() == 1


def test_the_person_concerned_never_reads_the_case_even_as_an_inspector(
    office: Office,
) -> None:
    case = office.denounce()
    himself = testing.make_user(
        username="self",
        role=Role.INSPECTOR,
        unit=office.desk.congress.unit,
        person=office.candidate.person,
    )
    with pytest.raises(Http404):
        queries.access_case_by_id(himself, case.pk)
    assert not queries.stubs_visible(himself).exists()
    with pytest.raises(ValidationError):
        actions.case_decide(actor=himself, case=case, admissible=True)


def test_organizers_see_the_stub_not_the_content(office: Office) -> None:
    case = office.denounce()
    assert queries.may_see_stub(office.desk.preparer, case)
    with pytest.raises(Http404):
        queries.access_case_by_id(office.desk.preparer, case.pk)
    admin = testing.make_user(username="root", superuser=True)
    with pytest.raises(Http404):
        queries.access_case_by_id(admin, case.pk)
    assert queries.access_case_by_id(office.member, case.pk) == case


def test_every_read_of_the_content_is_recorded(office: Office) -> None:
    case = office.denounce()
    actions.case_read_record(actor=office.inspector, case=case)
    with pytest.raises(ValidationError):
        actions.case_read_record(actor=office.desk.preparer, case=case)
    assert AuditEvent.objects.filter(action="case_read").count() == 1


def test_the_calendar_is_editable(office: Office) -> None:
    root = testing.make_user(username="root", superuser=True)
    actions.calendar_day_set(actor=root, day=datetime.date(2025, 6, 9), working=False, name="x")
    assert not queries.calendar().is_working_day(datetime.date(2025, 6, 9))
    with pytest.raises(PermissionDenied):
        actions.calendar_day_set(
            actor=office.inspector, day=datetime.date(2025, 6, 9), working=True
        )


def test_the_congress_line_counts_open_and_overdue(office: Office, settings: Any) -> None:
    office.accept(office.denounce())
    office.accept(office.letter())
    line = queries.congress_line(office.desk.congress)
    assert (line.open, line.overdue) == (2, 0)
    line = queries.congress_line(office.desk.congress, on=datetime.date(2025, 12, 1))
    assert (line.open, line.overdue) == (2, 2)
