"""The demo province: Hai Duong's shape, deterministic, idempotent, with working logins.

The member count is reduced here; the full 108,000 are timed in bench/bench_demo.py.
"""

from __future__ import annotations

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, QuerySet
from django.test import Client
from django.utils import timezone

from daihoi.accounts.models import Role, RoleGrant, User
from daihoi.conduct import queries as conduct_queries
from daihoi.conduct.models import BoardSeat, Delegate
from daihoi.congresses.models import Congress
from daihoi.consultation import synthesis
from daihoi.consultation.models import Comment, Consultation, Draft
from daihoi.core import clock
from daihoi.core.models import AuditEvent
from daihoi.demo import congress_day, consultation, cycle, province, report
from daihoi.demo.tests.built import MEMBERS
from daihoi.demo.users import PASSWORD
from daihoi.elections.models import Election, PaperTally, ResultRelease
from daihoi.organizations.models import CommitteeSeat, Membership, Person, Unit
from daihoi.personnel.actions.plans import approval_problems

pytestmark = pytest.mark.django_db

PILOT_CODE = f"{province.ROOT_CODE}-TPHD-001"


def _active_on(day: datetime.date) -> QuerySet[Unit]:
    return Unit.objects.filter(active_from__lte=day).exclude(active_until__lte=day)


def test_the_province_has_the_shape_of_hai_duong_2024(demo: str) -> None:
    levels = Counter(_active_on(datetime.date(2024, 12, 31)).values_list("level", flat=True))
    assert levels["province"] == 1 and levels["above_grassroots"] == 15
    assert levels["grassroots"] == 612
    # Mid-cycle two districts merged into one on 1 July 2025.
    after = Counter(_active_on(datetime.date(2025, 7, 15)).values_list("level", flat=True))
    assert after["above_grassroots"] == 14 and after["grassroots"] == 612
    assert Person.objects.count() == MEMBERS == Membership.objects.count()
    names = set(Unit.objects.filter(level="above_grassroots").values_list("name", flat=True))
    assert {"Thành phố Hải Dương", "Thị xã Kinh Môn", "Đảng bộ Công an tỉnh"} <= names
    assert len(set(Person.objects.values_list("member_code", flat=True))) == MEMBERS
    assert "612 grassroots organizations" in demo


def test_every_party_committee_has_four_to_eight_cells(demo: str) -> None:
    for unit in Unit.objects.filter(level="grassroots"):
        cells = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).count()
        assert (4 <= cells <= 8) if unit.name.startswith("Đảng bộ") else cells == 0, unit


def test_the_tree_is_consistent_for_treebeard(demo: str) -> None:
    children = Counter(p[:-4] for p in Unit.objects.values_list("path", flat=True))
    for unit in Unit.objects.all():
        assert unit.depth * 4 == len(unit.path)
        assert unit.numchild == children.get(unit.path, 0), unit
    root = Unit.objects.get(code=province.ROOT_CODE)
    assert Unit.objects.get_children(root).count() == 15 + 1  # the merged district
    assert Unit.objects.get_children(root).filter(active_until__isnull=True).count() == 14
    fields = {
        "code": "NEW",
        "name": "Mới",
        "name_folded": "moi",
        "level": "above_grassroots",
        "active_from": "2025-01-01",
    }
    child = Unit.objects.add_child(root, fields)
    assert child.path.startswith(root.path) and Unit.objects.get(pk=root.pk).numchild == 17


def test_members_are_plausible(demo: str) -> None:
    people = list(Person.objects.all())
    men = sum(p.gender == "male" for p in people) / len(people)
    assert 0.55 < men < 0.65
    assert all(1945 <= p.birth_date.year <= 2003 for p in people)
    assert all(p.date_joined >= p.birth_date.replace(year=p.birth_date.year + 18) for p in people)
    statuses = Counter(p.status for p in people)
    assert statuses["active"] / len(people) > 0.85 and statuses["deceased"] > 0
    assert Counter(p.ethnicity for p in people).most_common(1)[0][0] == "Kinh"
    families = Counter(p.full_name.split()[0] for p in people)
    assert families.most_common(1)[0][0] == "Nguyễn"
    women_middle = Counter(p.full_name.split()[1] for p in people if p.gender == "female")
    assert women_middle.most_common(1)[0][0] == "Thị"


def test_committees_have_one_secretary_each(demo: str) -> None:
    secretaries = (
        CommitteeSeat.objects.filter(body="secretary").values("unit").annotate(n=Count("id"))
    )
    # With the reduced member count a few small organizations have nobody of committee age;
    # every unit that has a committee has exactly one secretary.
    committees = set(CommitteeSeat.objects.filter(body="executive").values_list("unit", flat=True))
    assert {s["unit"] for s in secretaries} == committees
    assert len(committees) > 0.9 * (1 + 15 + 612) and {s["n"] for s in secretaries} == {1}
    # Only the pilot grassroots congress has elected its 2025–2030 committee yet.
    new_term = CommitteeSeat.objects.filter(term_start=2025)
    assert set(new_term.values_list("unit__code", "body", "term_end")) == {
        (PILOT_CODE, "executive", 2030)
    }
    assert set(CommitteeSeat.objects.values_list("term_start", "term_end")) == {
        (2020, 2025),
        (2025, 2030),
    }


def test_the_build_is_deterministic() -> None:
    def sample() -> list[tuple[str, str, str]]:
        builder = province.ProvinceBuilder()
        builder.build_tree()
        people = builder.build_people()
        return [(p.member_code, p.full_name, p.unit.code) for p in people[::97]]

    assert sample() == sample()


def test_a_second_run_neither_fails_nor_duplicates(demo: str) -> None:
    def counts() -> tuple[int, ...]:
        return (Unit.objects.count(), Person.objects.count(), User.objects.count(),
                RoleGrant.objects.count(), AuditEvent.objects.count(), Draft.objects.count(),
                Consultation.objects.count(), Comment.objects.count(), Delegate.objects.count(),
                BoardSeat.objects.count(), Election.objects.count(),
                CommitteeSeat.objects.count())  # fmt: skip

    before = counts()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "province HD exists" in out.getvalue()
    assert "consultation exists" in out.getvalue()
    assert "congress day exists" in out.getvalue()
    assert counts() == before


def test_demo_logins_are_printed_with_their_role_and_unit(demo: str) -> None:
    out = io.StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8765/", stdout=out)
    text = out.getvalue()
    assert text.startswith("Demo logins for http://127.0.0.1:8765/")
    for name in [
        "admin",
        "tinh",
        "bientap",
        "tp_haiduong",
        "kinhmon",
        "coso",
        "dangvien",
        "kiemphieu1",
        "kiemphieu2",
    ]:
        assert name in text
    assert PASSWORD in text and "Thành phố Hải Dương" in text


def test_each_demo_login_has_its_role(demo: str) -> None:
    def grant(username: str) -> RoleGrant:
        return RoleGrant.objects.select_related("unit").get(user__username=username)

    assert User.objects.get(username="admin").is_superuser
    assert grant("tinh").unit.code == province.ROOT_CODE and grant("tinh").role == Role.ORGANIZER
    editor = grant("bientap")
    assert editor.unit.code == province.ROOT_CODE and editor.role == Role.DOCUMENT_EDITOR
    assert grant("tp_haiduong").unit.name == "Thành phố Hải Dương"
    assert grant("kinhmon").unit.name == "Thị xã Kinh Môn"
    assert grant("coso").unit.level == "grassroots"
    member = grant("dangvien")
    assert member.role == Role.MEMBER and member.unit.level == "cell"
    assert User.objects.get(username="dangvien").person.unit == member.unit


def test_a_demo_organizer_logs_in_and_sees_only_their_district(demo: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "kinhmon", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/u/HD-KM/").status_code == 200
    assert client.get("/u/HD-TPHD/").status_code == 404


def _demo_consultation() -> Consultation:
    return Consultation.objects.select_related("draft_version__draft__congress__cycle").get(
        draft_version__draft__title=report.TITLE
    )


def test_the_provincial_draft_political_report_is_open_for_comments(demo: str) -> None:
    open_one = _demo_consultation()
    draft = open_one.draft_version.draft
    assert draft.kind == Draft.Kind.POLITICAL_REPORT
    assert draft.congress.unit.code == province.ROOT_CODE
    assert draft.congress.cycle.name == "Nhiệm kỳ 2025–2030"
    assert open_one.audience == Consultation.Audience.SUBTREE
    assert open_one.audience_unit == draft.congress.unit
    assert timezone.localdate(open_one.opens_at) == datetime.date(2025, 7, 1)
    # Open on the demo's day (`make demo` serves 15 July 2025), whatever the real date is.
    assert timezone.localdate(open_one.closes_at) == datetime.date(2025, 8, 30)
    with clock.pinned(cycle.AS_OF):
        assert open_one.is_open()
    with clock.pinned(datetime.date(2025, 9, 1)):
        assert not open_one.is_open()
    sections = open_one.draft_version.sections.count()
    paragraphs = open_one.draft_version.paragraphs.count()
    assert 4 <= sections <= 5 and 2 * sections <= paragraphs <= 4 * sections
    assert 400 <= open_one.comments.count() <= 600
    assert "Opened the consultation on the draft political report" in demo


def test_demo_comments_come_from_meeting_minutes_of_several_levels(demo: str) -> None:
    comments = list(_demo_consultation().comments.select_related("unit", "paragraph"))
    assert {c.channel for c in comments} == {Comment.Channel.MEETING}
    assert all(c.meeting_ref for c in comments)
    assert {str(c.meeting_date)[:7] for c in comments} == {"2025-07"}
    levels = Counter(c.level for c in comments)
    assert set(levels) == {"cell", "grassroots", "above_grassroots"}
    assert levels["cell"] > levels["grassroots"] > levels["above_grassroots"]
    assert all(
        c.unit is not None and c.unit.code.startswith(f"{province.ROOT_CODE}-") for c in comments
    )
    assert len({c.unit_id for c in comments}) > 150
    assert any(c.paragraph is None for c in comments)
    assert len({c.paragraph_id for c in comments if c.paragraph}) >= 12
    amendments = [c for c in comments if c.kind == Comment.Kind.AMENDMENT]
    assert amendments and all(
        c.paragraph and c.proposed_text and c.proposed_text != c.paragraph.text for c in amendments
    )


def test_the_demo_comments_hold_near_duplicates_for_the_synthesis(demo: str) -> None:
    comments = _demo_consultation().comments.values_list("id", "text", "paragraph__anchor")
    texts = {pk: text for pk, text, _anchor in comments}
    groups = synthesis.group_near_duplicates(list(comments))
    reworded = [g for g in groups if len({texts[m] for m in g.members}) > 1]
    assert len(groups) >= 20 and len(reworded) >= 20
    grouped = sum(g.size for g in groups)
    assert 0.8 * len(texts) < grouped < len(texts)  # a few one-off remarks stay alone


def test_the_demo_comments_are_deterministic(demo: str) -> None:
    root = Unit.objects.get(code=province.ROOT_CODE)
    anchors = [f"p{i}" for i in range(1, 17)]

    def sample() -> list[consultation.CommentInput]:
        rng = random.Random(consultation.SEED)
        return consultation.comments_from_meetings(rng=rng, root=root, anchors=anchors)

    assert sample() == sample()


def test_every_proposed_amendment_rewords_its_paragraph() -> None:
    for chapter in report.CHAPTERS:
        for passage in chapter.passages:
            assert all(a.old in passage.text for a in passage.amendments), passage.text[:40]


def test_the_consultation_step_runs_twice_without_duplicating(demo: str) -> None:
    root = Unit.objects.get(code=province.ROOT_CODE)
    counts = (Draft.objects.count(), Comment.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    consultation.build(root=root, stdout=out)
    assert "exists" in out.getvalue()
    assert (Draft.objects.count(), Comment.objects.count(), AuditEvent.objects.count()) == counts


def test_the_demo_editor_opens_the_synthesis_of_the_demo_consultation(demo: str) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "bientap", "password": PASSWORD})
    pk = _demo_consultation().pk
    assert client.get(f"/consultation/c/{pk}/synthesis").status_code == 200


# The pilot grassroots congress: a finished congress day ---------------------------------------


def _pilot() -> Congress:
    return Congress.objects.select_related("unit", "cycle").get(
        unit__code=PILOT_CODE, cycle__name="Nhiệm kỳ 2025–2030"
    )


def test_the_pilot_congress_has_a_roster_with_most_delegates_checked_in(demo: str) -> None:
    congress = _pilot()
    assert congress.pilot and congress.concluded_on == datetime.date(2025, 4, 3)
    kinds = set(Delegate.objects.filter(congress=congress).values_list("kind", flat=True))
    assert {Delegate.Kind.EX_OFFICIO, Delegate.Kind.ELECTED} <= kinds
    basis = conduct_queries.entitled_basis(congress)
    assert 0 < basis.present < basis.convened and basis.entitled <= basis.convened
    assert conduct_queries.quorum(congress).met
    assert congress.agenda_items.count() >= 5
    assert "Held the congress day of Đảng bộ phường Trần Phú" in demo


def test_the_pilot_executive_is_released_on_paper_and_takes_its_seats(demo: str) -> None:
    congress = _pilot()
    election = Election.objects.get(congress=congress, body=Election.Body.EXECUTIVE)
    assert election.mode == Election.Mode.PAPER and election.state == Election.State.RELEASED
    result = election.outcome
    assert result is not None and len(result.elected) == election.seats
    votes = dict(result.votes)
    entitled = election.entitled or 0
    assert all(2 * votes[c] > entitled for c in result.elected)
    assert result.issued == result.returned + result.not_returned
    assert result.returned == result.valid + result.invalid
    tally = PaperTally.objects.get(election=election)
    release = ResultRelease.objects.get(election=election)
    # The day's records are dated on the day it was held, not on the day the demo was built.
    held = [tally.confirmed_at, release.first_at, release.second_at]
    held += list(Delegate.objects.filter(congress=congress).values_list("checked_in_at", flat=True))
    assert {timezone.localdate(t) for t in held if t is not None} == {cycle.PILOT_DAY}
    assert tally.entered_by and tally.confirmed_by and tally.entered_by != tally.confirmed_by
    assert {tally.entered_by.username, tally.confirmed_by.username} == {
        "kiemphieu1",
        "kiemphieu2",
    }
    assert release.first_by_id != release.second_by_id
    seats = CommitteeSeat.objects.filter(
        unit=congress.unit, body="executive", term_start=2025, term_end=2030
    )
    elected = {c.person_id for c in election.candidates.filter(pk__in=result.elected)}
    assert set(seats.values_list("person_id", flat=True)) == elected


def test_the_counting_logins_sit_on_the_pilot_counting_board(demo: str) -> None:
    congress = _pilot()
    for username in ("kiemphieu1", "kiemphieu2"):
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        assert conduct_queries.is_board_member(user, congress, BoardSeat.Board.COUNTING)
    client = Client()
    client.post("/accounts/login/", {"username": "kiemphieu1", "password": PASSWORD})
    assert client.get(f"/conduct/congresses/{congress.pk}/").status_code == 200
    assert client.get(f"/elections/congress/{congress.pk}/").status_code == 200


def test_delegates_elected_at_the_pilot_join_the_district_roster(demo: str) -> None:
    congress = _pilot()
    election = Election.objects.get(congress=congress, body=Election.Body.DELEGATES)
    assert election.state == Election.State.RELEASED
    sent = Delegate.objects.filter(elected_by=congress, congress__unit__code="HD-TPHD")
    assert sent.filter(kind=Delegate.Kind.ELECTED).count() == election.seats
    assert sent.filter(kind=Delegate.Kind.ALTERNATE).count() == election.alternate_seats


def test_the_congress_day_step_runs_twice_without_duplicating(demo: str) -> None:
    counts = (Delegate.objects.count(), Election.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    congress_day.build(root=None, stdout=out)
    assert "exists" in out.getvalue()
    assert (
        Delegate.objects.count(),
        Election.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_the_superuser_reaches_every_election_and_congress_page_the_lists_link_to(
    demo: str,
) -> None:
    import re
    from collections import deque

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    wanted = re.compile(
        r'href="(/(?:conduct/congresses/\d+/|elections/(?:congress/)?\d+/)[^"#?]*)"'
    )
    start = [
        "/conduct/",
        *[
            f"/elections/congress/{c}/"
            for c in Election.objects.values_list("congress_id", flat=True).distinct()
        ],
    ]
    seen: set[str] = set()
    queue = deque(start)
    statuses: dict[str, int] = {}
    while queue and len(seen) < 150:
        url = queue.popleft()
        if url in seen or url.endswith(("stream/", ".pdf", ".csv", ".xlsx")):
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            queue.extend(wanted.findall(response.content.decode()))
    assert {u: s for u, s in statuses.items() if s != 200} == {}
    elections = [u for u in statuses if re.fullmatch(r"/elections/\d+/", u)]
    congresses = [u for u in statuses if re.fullmatch(r"/conduct/congresses/\d+/", u)]
    assert len(elections) >= Election.objects.count() // 2 > 0
    assert congresses
    api = client.get("/api/v1/elections")
    assert api.status_code == 200 and len(api.json()) > 0


def test_the_pilot_incumbents_not_re_elected_have_computed_options(demo: str) -> None:
    from daihoi.transitions import queries as transitions
    from daihoi.transitions.models import TransitionCase

    cases = TransitionCase.objects.filter(reason="not_reelected", congress__unit__code=PILOT_CODE)
    assert cases.exists()
    totals = []
    for case in cases:
        assert case.monthly_salary > 0
        options = transitions.case_options(case)
        assert options  # every case shows its options, open or not and why
        totals += [o.total for o in options if o.eligible]
    assert any(total > 0 for total in totals)


def test_the_district_merger_made_its_committees_surplus(demo: str) -> None:
    from daihoi.transitions.models import TransitionCase

    surplus = TransitionCase.objects.filter(reason="surplus")
    assert surplus.exists()
    assert {c.reorganization.kind for c in surplus.select_related("reorganization")} == {"merge"}
    assert surplus.filter(state="chosen").count() == surplus.count()


def test_the_province_targets_have_figures_and_a_chart(demo: str) -> None:
    from daihoi.targets import queries as targets
    from daihoi.targets.models import Movement, Target

    root = Unit.objects.get(code=province.ROOT_CODE)
    income = Target.objects.get(unit=root, term_start=2020, code="grdp_per_capita")
    assert income.target_value == 85 and income.figures.count() >= 4
    growth = Target.objects.get(unit=root, term_start=2020, code="grdp_growth")
    assert growth.target_value == 9 and growth.basis == "yearly_average"
    assert 'class="target-line"' in targets.target_chart_svg(income)
    movement = Movement.objects.get(unit=root)
    assert movement.registrations.count() > 1 and targets.ranking(movement)[0].rank == 1


def test_units_carry_the_kind_that_decides_their_age_reference(demo: str) -> None:
    built = Unit.objects.exclude(level="cell").filter(predecessor_links__isnull=True)
    kinds = set(built.values_list("level", "kind"))
    assert kinds == {
        ("province", "central"),
        ("above_grassroots", "above_grassroots"),
        ("grassroots", "grassroots"),
    }


def test_the_provincial_plan_is_under_vetting_and_shows_each_rule(demo: str) -> None:
    from daihoi.personnel import queries as personnel
    from daihoi.personnel.models import Plan

    plan = Plan.objects.get(congress__unit__code=province.ROOT_CODE, body="executive")
    assert plan.state == Plan.State.VETTING
    from django.utils import translation

    with translation.override("en"):
        problems = approval_problems(plan)
    failing = [p for p in problems if p.code == "hard_standard_failed"]
    assert len(failing) == 1 and "needs 60" in failing[0].messages[0]
    candidates = list(personnel.plan_candidates(plan))
    states = [{r.code: r.state for r in personnel.dossier_checklist(c)} for c in candidates]
    assert sum(s["health_certificate"] == "missing" for s in states) == 1
    missing = [p for p in problems if p.code == "dossier_item_missing"]
    assert len(missing) == 1 and "Health certificate" in missing[0].messages[0]
    leads = [i for c in candidates for i in personnel.dossier_leads(c)]
    assert [i.provenance for i in leads] == ["social_network"] and not leads[0].citable
    women = next(g for g in personnel.gauges(plan, candidates) if g.code == "women")
    assert women.below


def test_a_district_plan_is_approved_by_the_province(demo: str) -> None:
    from daihoi.personnel.models import Plan

    plan = Plan.objects.get(congress__unit__code=f"{province.ROOT_CODE}-KM", body="executive")
    assert plan.state == Plan.State.APPROVED and plan.approved_by.username == "tinh"


def test_the_personnel_step_runs_twice_without_duplicating(demo: str) -> None:
    from daihoi.demo import personnel as demo_personnel
    from daihoi.personnel.models import PlanCandidate

    count = PlanCandidate.objects.count()
    out = io.StringIO()
    demo_personnel.build(root=None, stdout=out)
    assert "exist" in out.getvalue() and PlanCandidate.objects.count() == count
