"""Regulation 50-QĐ/TW: a discipline at reprimand or above, or a finding that a member does
not meet political standards, takes them out of every planning pool at once (audited);
Decision 190-QĐ/TW: the higher level approves only plans whose required dossiers are complete
and verified; Directive 45-CT/TW: at least one woman on the standing committee, a warning."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from daihoi.core.models import AuditEvent
from daihoi.organizations.models import CommitteeSeat
from daihoi.personnel import actions, queries, standards
from daihoi.personnel.models import Discipline, Plan, PoolEntry, StandardsFinding
from daihoi.personnel.tests.conftest import Desk

DECIDED = datetime.date(2025, 3, 1)


def codes(error: ValidationError) -> set[str | None]:
    return {e.code for e in error.error_list}


def _pooled(desk: Desk, **kw: Any) -> Any:
    person = desk.person(**kw)
    for body in ("executive", "standing"):
        actions.pool_entry_add(
            actor=desk.preparer,
            unit=desk.congress.unit,
            cycle=desk.cycle,
            person=person,
            body=body,
            entered_on=datetime.date(2024, 1, 1),
        )
    return person


# Pool removal -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reprimand_takes_the_person_out_of_every_pool_with_one_audited_removal(
    desk: Desk,
) -> None:
    person = _pooled(desk)
    actions.discipline_record(
        actor=desk.preparer,
        person=person,
        level="reprimand",
        decided_on=DECIDED,
        authority="UBKT Huyện ủy",
        number="12-QĐ/UBKT",
    )
    entries = list(PoolEntry.objects.filter(person=person))
    assert len(entries) == 2
    assert {(e.removed_on, e.removal_cause) for e in entries} == {
        (DECIDED, PoolEntry.Cause.DISCIPLINE)
    }
    assert all("12-QĐ/UBKT" in e.removal_note for e in entries)
    removal = AuditEvent.objects.get(action="pool_remove_person")
    assert removal.changes["cause"] == "discipline"
    assert sorted(removal.changes["pool_entries_removed"]) == sorted(e.pk for e in entries)
    assert AuditEvent.objects.filter(action="discipline_record").count() == 1


@pytest.mark.django_db
def test_a_finding_on_political_standards_takes_the_person_out_of_every_pool(desk: Desk) -> None:
    person = _pooled(desk)
    kept = desk.person()
    actions.pool_entry_add(
        actor=desk.preparer,
        unit=desk.congress.unit,
        cycle=desk.cycle,
        person=kept,
        body="executive",
        entered_on=datetime.date(2024, 1, 1),
    )
    finding = actions.standards_finding_record(
        actor=desk.preparer,
        person=person,
        decided_on=DECIDED,
        authority="Ban Thường vụ Huyện ủy",
        number="58-KL/HU",
    )
    removed = PoolEntry.objects.filter(person=person)
    assert {e.removal_cause for e in removed} == {PoolEntry.Cause.POLITICAL_STANDARDS}
    assert PoolEntry.objects.get(person=kept).removed_on is None
    assert finding.person_id == person.pk
    event = AuditEvent.objects.get(action="pool_remove_person")
    assert event.changes["cause"] == "political_standards"


@pytest.mark.django_db
def test_a_finding_without_its_authority_and_number_is_refused_and_removes_nobody(
    desk: Desk,
) -> None:
    person = _pooled(desk)
    with pytest.raises(ValidationError) as error:
        actions.standards_finding_record(
            actor=desk.preparer, person=person, decided_on=DECIDED, authority=" ", number=""
        )
    assert set(error.value.message_dict) == {"authority", "number"}
    assert not PoolEntry.objects.filter(removed_on__isnull=False).exists()


@pytest.mark.django_db
def test_only_an_organizer_over_the_person_records_what_removes_them(desk: Desk) -> None:
    from django.core.exceptions import PermissionDenied

    person = _pooled(desk)
    with pytest.raises(PermissionDenied):
        actions.standards_finding_record(
            actor=desk.inspector, person=person, decided_on=DECIDED, authority="X", number="1"
        )
    assert not PoolEntry.objects.filter(removed_on__isnull=False).exists()


@pytest.mark.parametrize(
    ("level", "removal_level", "leaves"),
    [
        ("reprimand", "reprimand", True),
        ("expulsion", "reprimand", True),
        ("reprimand", "warning", False),
        ("warning", "warning", True),
    ],
)
def test_a_discipline_leaves_the_pool_at_the_rulebook_level_or_heavier(
    level: str, removal_level: str, leaves: bool
) -> None:
    assert standards.leaves_pool(level, removal_level) is leaves


@given(
    st.sampled_from(standards.DISCIPLINE_ORDER),
    st.sampled_from(standards.DISCIPLINE_ORDER),
)
def test_a_heavier_discipline_never_keeps_someone_a_lighter_one_removes(
    level: str, removal_level: str
) -> None:
    heavier = standards.DISCIPLINE_ORDER[standards.DISCIPLINE_ORDER.index(level) :]
    if standards.leaves_pool(level, removal_level):
        assert all(standards.leaves_pool(h, removal_level) for h in heavier)


# Dossiers and approval ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_or_unverified_required_dossier_item_blocks_approval_naming_both(
    desk: Desk,
) -> None:
    missing = desk.reelection(dossier=False, full_name="Trần Văn Thiếu")
    desk.complete_dossier(missing, skip=("health_certificate",))
    unverified = desk.first_time(dossier=False, full_name="Lê Thị Chưa")
    desk.complete_dossier(unverified, skip=("degrees",))
    actions.dossier_item_record(
        actor=desk.preparer,
        candidate=unverified,
        provenance="authority",
        kind="degrees",
        summary="Bằng đại học",
        authority="Trường Đại học",
        number="123",
        issued_on=datetime.date(2010, 6, 1),
    )
    for c in (missing, unverified):
        desk.pass_steps(c)
    actions.plan_submit(actor=desk.preparer, plan=desk.plan)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        actions.plan_approve(actor=desk.higher, plan=desk.plan)
    assert codes(error.value) == {"dossier_item_missing", "dossier_item_unverified"}
    text = " ".join(error.value.messages)
    assert "Trần Văn Thiếu: the dossier lacks “Health certificate”" in text
    assert "Lê Thị Chưa: “Certified copies of degrees” in the dossier is not verified" in text
    desk.plan.refresh_from_db()
    assert desk.plan.state == Plan.State.VETTING


# Structure: a woman on the standing committee -----------------------------------------------


def _standing_plan(desk: Desk, *, genders: tuple[str, ...]) -> Plan:
    plan = actions.plan_create(
        actor=desk.preparer, congress=desk.congress, body="standing", seats=2
    )
    for gender in genders:
        person = desk.person(gender=gender)
        CommitteeSeat.objects.create(
            unit=desk.congress.unit,
            person=person,
            body="standing",
            term_start=2020,
            term_end=2025,
            source="elected",
        )
        candidate = actions.plan_candidate_add(actor=desk.preparer, plan=plan, person=person)
        desk.pass_steps(candidate)
        desk.complete_dossier(candidate)
    return plan


@pytest.mark.django_db
def test_a_standing_committee_without_a_woman_warns_and_is_still_approved(desk: Desk) -> None:
    plan = _standing_plan(desk, genders=("male", "male"))
    gauge = next(
        g
        for g in queries.gauges(plan, list(queries.plan_candidates(plan)))
        if g.code == "standing_woman"
    )
    assert (gauge.count, gauge.below) == (0, True)
    actions.plan_submit(actor=desk.preparer, plan=plan)
    assert actions.plan_approve(actor=desk.higher, plan=plan).state == Plan.State.APPROVED


@pytest.mark.django_db
def test_one_woman_meets_the_standing_committee_target_which_other_bodies_do_not_show(
    desk: Desk,
) -> None:
    plan = _standing_plan(desk, genders=("male", "female"))
    standing = {g.code: g for g in queries.gauges(plan, list(queries.plan_candidates(plan)))}
    assert standing["standing_woman"].below is False
    executive = [g.code for g in queries.gauges(desk.plan, [])]
    assert "standing_woman" not in executive and "women" in executive


@pytest.mark.django_db
def test_the_plan_page_shows_the_standing_committee_gauge_by_its_name(
    desk: Desk, client: Any
) -> None:
    plan = _standing_plan(desk, genders=("male",))
    client.force_login(desk.higher)
    with translation.override("en"):
        page = client.get(f"/personnel/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'data-gauge="standing_woman"' in html
    assert "gauge-below" in html


@pytest.mark.django_db
def test_without_the_target_in_the_rulebook_no_standing_committee_gauge_shows(desk: Desk) -> None:
    desk.cycle.rulebook_id = "vn-cpv-2024"
    desk.cycle.save(update_fields=["rulebook_id"])
    plan = actions.plan_create(
        actor=desk.preparer, congress=desk.congress, body="standing", seats=1
    )
    assert "standing_woman" not in [g.code for g in queries.gauges(plan, [])]


@pytest.mark.django_db
def test_a_discipline_and_a_finding_are_recorded_from_the_pool_page(desk: Desk) -> None:
    from daihoi.personnel.tests.test_pages_api import client_for

    disciplined, found = _pooled(desk), _pooled(desk)
    url = f"/personnel/pool/{desk.congress.unit.code}/"
    client = client_for(desk.preparer)
    assert 'id="decisions"' in client.get(url).content.decode()
    form = {"decided_on": "2025-03-01", "authority": "UBKT Huyện ủy", "number": "12-QĐ/UBKT"}
    missing = client.post(url, {"action": "discipline", "code": disciplined.member_code})
    assert missing.status_code == 302 and not Discipline.objects.exists()  # no date: refused
    page = client.post(
        url,
        {"action": "discipline", "code": disciplined.member_code, "level": "reprimand", **form},
        follow=True,
    )
    text = page.content.decode()
    assert Discipline.objects.get(person=disciplined).number == "12-QĐ/UBKT"
    assert "rời khỏi danh sách quy hoạch" in text  # the pages speak Vietnamese by default
    client.post(url, {"action": "finding", "code": found.member_code, "note": "KL 5", **form})
    assert StandardsFinding.objects.get(person=found).note == "KL 5"
    removed = PoolEntry.objects.filter(person__in=[disciplined, found], removed_on=DECIDED)
    assert removed.count() == 4  # both left both pools
    bad = client.post(url, {"action": "discipline", "code": "NOBODY", "level": "x", **form})
    assert bad.status_code == 302 and Discipline.objects.count() == 1
