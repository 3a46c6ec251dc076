"""Pages and the API: who sees the content and the sender, register filters, exports, the
public form, the candidate's flag in the plan, the digest."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from daihoi import testing
from daihoi.accounts.models import Role
from daihoi.cases import actions
from daihoi.cases.models import Case
from daihoi.cases.tests.conftest import Office
from daihoi.core.models import AuditEvent


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_sender_is_shown_only_to_handling_inspectors_and_the_sender(office: Office) -> None:
    case = office.denounce()
    url = f"/cases/{case.pk}/"
    api = f"/api/v1/cases/{case.pk}"
    for reader in (office.inspector, office.inspector2, office.member):
        page = _client(reader).get(url)
        assert page.status_code == 200 and "Lê Thị Hoa" in page.content.decode()
        body = _client(reader).get(api).json()
        assert body["sender"]["name"] == "Lê Thị Hoa"
    outsiders = [
        office.desk.preparer,
        office.desk.higher,
        testing.make_user(username="insp_d2", role=Role.INSPECTOR, unit=office.desk.province["d2"]),
        testing.make_user(username="admin", superuser=True),
        testing.make_user(
            username="concerned",
            role=Role.INSPECTOR,
            unit=office.desk.province["d1"],
            person=office.candidate.person,
        ),
    ]
    for user in outsiders:
        assert _client(user).get(url).status_code == 404, user.username
        assert _client(user).get(api).status_code == 404, user.username
    # 3 readers × (page + API) reads, each in the audit trail.
    assert AuditEvent.objects.filter(action="case_read").count() == 6


def test_organizers_see_stubs_in_the_register_without_content(office: Office) -> None:
    office.accept(office.denounce())
    page = _client(office.desk.preparer).get("/cases/")
    text = page.content.decode()
    assert page.status_code == 200 and "denunciation" in text
    assert "Land bought" not in text and "Lê Thị Hoa" not in text
    stubs = _client(office.desk.preparer).get("/api/v1/cases/").json()
    assert len(stubs) == 1 and "content" not in stubs[0] and "sender" not in stubs[0]


def test_the_register_filters_and_exports(office: Office) -> None:
    office.accept(office.denounce())
    office.letter(kind="complaint")
    client = _client(office.inspector)
    assert client.get("/cases/?kind=complaint").content.decode().count('class="case-row"') == 1
    assert client.get("/cases/?state=accepted").content.decode().count('class="case-row"') == 1
    assert client.get("/cases/?unit=D2").content.decode().count('class="case-row"') == 0
    assert len(client.get("/api/v1/cases/?kind=denunciation").json()) == 1
    from openpyxl import load_workbook

    response = client.get("/cases/export.xlsx?kind=complaint")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2 and sheet.cell(1, 1).value == "number"
    assert client.get("/api/v1/cases/register.xlsx").status_code == 200
    assert _client(office.desk.preparer).get("/cases/export.xlsx").status_code == 200
    sheet = load_workbook(
        io.BytesIO(_client(office.desk.preparer).get("/cases/export.xlsx").content)
    ).active
    assert sheet.max_row == 1  # organizers export nothing of the content


def test_a_member_sends_a_denunciation_through_the_form(office: Office) -> None:
    client = _client(office.member)
    page = client.get("/cases/new/")
    assert page.status_code == 200
    response = client.post(
        "/cases/new/",
        {
            "kind": "denunciation",
            "congress": office.desk.congress.pk,
            "person": office.candidate.person.member_code,
            "subject": "Degree",
            "content": "The degree was bought.",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.candidate == office.candidate and case.sender_user == office.member
    bad = client.post(
        "/cases/new/",
        {
            "kind": "denunciation",
            "congress": office.desk.congress.pk,
            "person": "NOPE",
            "subject": "x",
            "content": "y",
        },
    )
    assert bad.status_code == 400 and "No member with this code" in bad.content.decode()


def test_the_inspector_decides_and_concludes_through_the_pages(office: Office) -> None:
    case = office.denounce()
    one, two = _client(office.inspector), _client(office.inspector2)
    assert one.post(f"/cases/{case.pk}/", {"op": "accept"}).status_code == 302
    assert (
        one.post(
            f"/cases/{case.pk}/",
            {"op": "prepare", "outcome": "founded", "conclusion": "Confirmed."},
        ).status_code
        == 302
    )
    assert one.post(f"/cases/{case.pk}/", {"op": "approve"}).status_code == 403
    assert two.post(f"/cases/{case.pk}/", {"op": "approve"}).status_code == 302
    case.refresh_from_db()
    assert case.state == "concluded"
    office.candidate.refresh_from_db()
    assert not office.candidate.active
    mine = _client(office.member).get("/cases/mine/").content.decode()
    assert "concluded" in mine and "founded" in mine
    # The organizer cannot post handling operations.
    assert (
        _client(office.desk.preparer).post(f"/cases/{case.pk}/", {"op": "approve"}).status_code
        == 404
    )


def test_the_api_decides_and_approves_with_four_eyes(office: Office) -> None:
    case = office.denounce()
    one, two = _client(office.inspector), _client(office.inspector2)
    url = f"/api/v1/cases/{case.pk}"
    r = one.post(
        f"{url}/decision", {"admissible": False, "ground": "rude"}, content_type="application/json"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["code"] == "unknown_ground"
    assert (
        one.post(
            f"{url}/decision", {"admissible": True}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        one.post(
            f"{url}/conclusion",
            {"outcome": "unfounded", "conclusion": "No."},
            content_type="application/json",
        ).json()["state"]
        == "concluding"
    )
    assert one.post(f"{url}/approval").status_code == 403
    assert two.post(f"{url}/approval").json()["outcome"] == "unfounded"


def test_the_plan_shows_the_flag_and_the_higher_level_proceeds_on_the_congress_page(
    office: Office,
) -> None:
    case = office.accept(office.denounce())
    plan_page = _client(office.desk.preparer).get(
        reverse("personnel:plan", args=[office.desk.plan.pk])
    )
    text = plan_page.content.decode()
    assert "denunciation accepted, due 09/08/2025" in text
    assert "Land bought" not in text
    page = _client(office.desk.higher).get(f"/cases/congress/{office.desk.congress.pk}/")
    assert (
        page.status_code == 200
        and "1 case concerning candidates open, 0 overdue" in page.content.decode()
    )
    assert (
        _client(office.desk.preparer)
        .post(f"/cases/congress/{office.desk.congress.pk}/", {"case": case.pk, "reason": "x"})
        .status_code
        == 404
    )
    assert (
        _client(office.desk.higher)
        .post(
            f"/cases/congress/{office.desk.congress.pk}/", {"case": case.pk, "reason": "Old matter"}
        )
        .status_code
        == 302
    )
    case.refresh_from_db()
    assert case.proceed_reason == "Old matter"
    outsider = testing.make_user(
        username="o_d2", role=Role.ORGANIZER, unit=office.desk.province["d2"]
    )
    assert _client(outsider).get(f"/cases/congress/{office.desk.congress.pk}/").status_code == 404


def test_the_opening_report_is_a_pdf_for_the_higher_level(office: Office) -> None:
    from daihoi.accounts.authority import SYSTEM
    from daihoi.core import hooks

    office.accept(office.denounce())
    hooks.congress_transitioned(actor=SYSTEM, congress=office.desk.congress, transition="convene")
    response = _client(office.desk.higher).get(
        f"/cases/congress/{office.desk.congress.pk}/report.pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    start = _client(office.desk.higher).get(reverse("home:start")).content.decode()
    assert 'id="opening-reports"' in start


def test_public_feedback_is_challenged_and_a_published_reply_is_shown(
    office: Office, settings: Any
) -> None:
    settings.DAIHOI_CHALLENGE_MIN_SECONDS = 0
    from daihoi.consultation import guard

    client = Client()
    url = f"/cases/public/{office.desk.congress.pk}/"
    assert client.get(url).status_code == 200
    challenge = guard.issue_challenge()
    a, b = challenge.question
    data = {
        "kind": "feedback",
        "topic": "documents",
        "subject": "Draft too long",
        "content": "The political report is too long.",
        "challenge": challenge.token,
        "answer": str(a + b),
    }
    assert client.post(url, data).status_code == 200
    case = Case.objects.get()
    assert case.anonymous and case.channel == "public_form"
    assert client.post(url, data).status_code == 400  # replayed
    wrong = {**data, "challenge": guard.issue_challenge().token, "answer": "999"}
    assert client.post(url, wrong).status_code == 400
    actions.feedback_reply(
        actor=office.desk.preparer, case=case, reply="We shortened it.", publish=True
    )
    assert "We shortened it." in client.get(url).content.decode()
    organizer = _client(office.desk.preparer)
    assert "Draft too long" in organizer.get("/cases/feedback/").content.decode()
    assert organizer.post(f"/cases/feedback/{case.pk}/", {"op": "consider"}).status_code == 302


def test_the_public_form_is_rate_limited(office: Office, settings: Any) -> None:
    settings.DAIHOI_PUBLIC_COMMENTS_PER_HOUR = 1
    from django.core.cache import cache

    cache.clear()
    client = Client()
    url = f"/cases/public/{office.desk.congress.pk}/"
    client.post(url, {"kind": "feedback"})
    assert client.post(url, {"kind": "feedback"}).status_code == 429


def test_feedback_near_duplicates_are_grouped(office: Office) -> None:
    for n in range(3):
        actions.case_submit_public(
            item=actions.CaseInput(
                kind="feedback",
                unit=office.desk.congress.unit,
                congress=office.desk.congress,
                subject="More young cadres",
                topic="personnel",
                content="The committee needs more young cadres under forty years of age" + "!" * n,
            ),
            sender=actions.Sender(),
        )
    from daihoi.cases import queries

    groups = queries.feedback_groups(queries.feedback_visible(office.desk.preparer))
    assert [g.size for g in groups] == [3]


def test_cases_due_soon_and_overdue_join_the_daily_digest(office: Office, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    office.inspector.email = "insp@example.org"
    office.inspector.save()
    office.accept(office.letter(), on=datetime.date(2025, 6, 6))  # due 4 September
    call_command("send_deadline_digest", "--now", on="2025-08-25")
    (message,) = [m for m in mail.outbox if m.to == ["insp@example.org"]]
    assert "1 đến hạn trong 14 ngày, 0 quá hạn" in message.body
    mail.outbox.clear()
    call_command("send_deadline_digest", "--now", on="2025-09-10")
    (message,) = [m for m in mail.outbox if m.to == ["insp@example.org"]]
    assert "0 đến hạn trong 14 ngày, 1 quá hạn" in message.body


def test_the_home_page_shows_the_inspector_their_cases(office: Office) -> None:
    office.accept(office.letter(), on=datetime.date(2025, 6, 6))
    page = _client(office.inspector).get(reverse("home:start")).content.decode()
    assert 'id="inspector"' in page


def test_the_congress_page_carries_the_line(office: Office) -> None:
    office.accept(office.denounce())
    page = _client(office.desk.preparer).get(
        reverse("congresses:congress", args=[office.desk.congress.pk])
    )
    assert "1 case concerning candidates open, 0 overdue" in page.content.decode()


def test_the_calendar_is_read_and_edited_through_the_api(office: Office) -> None:
    client = _client(office.inspector)
    days = client.get("/api/v1/cases/calendar/2025").json()
    assert {"day": "2025-01-29", "name": "tet"} in days
    assert client.get("/api/v1/cases/calendar/2031").status_code == 404
    body = {"day": "2025-06-09", "working": False, "name": "typhoon"}
    assert (
        client.post("/api/v1/cases/calendar", body, content_type="application/json").status_code
        == 403
    )
    root = _client(testing.make_user(username="root", superuser=True))
    assert (
        root.post("/api/v1/cases/calendar", body, content_type="application/json").status_code
        == 200
    )
    assert {"day": "2025-06-09", "name": "typhoon"} in client.get(
        "/api/v1/cases/calendar/2025"
    ).json()


def test_an_attachment_over_10_mb_is_refused(office: Office) -> None:
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from daihoi.cases.tests.conftest import codes

    case = office.accept(office.letter())
    big = SimpleUploadedFile("scan.pdf", b"0" * (10 * 1024 * 1024 + 1))
    try:
        actions.case_step_record(
            actor=office.inspector,
            case=case,
            kind="verification",
            on=datetime.date(2025, 6, 10),
            attachment=big,
        )
    except ValidationError as error:
        assert codes(error) == {"too_large"}
    else:
        raise AssertionError("accepted an attachment over 10 MB")
    small = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 minutes")
    step = actions.case_step_record(
        actor=office.inspector,
        case=case,
        kind="hearing",
        on=datetime.date(2025, 6, 10),
        attachment=small,
    )
    assert step.attachment.name.endswith(".pdf")


def test_the_public_form_never_tells_whether_a_member_code_exists(
    office: Office, settings: Any
) -> None:
    settings.DAIHOI_CHALLENGE_MIN_SECONDS = 0
    from daihoi.consultation import guard

    url = f"/cases/public/{office.desk.congress.pk}/"
    answers = []
    for code in (office.candidate.person.member_code, "M9999999"):
        challenge = guard.issue_challenge()
        data = {
            "kind": "denunciation",
            "person": code,
            "subject": "Đất đai",
            "content": "Nội dung cụ thể.",
            "name": "Ngô Văn Tâm",
            "address": "Hải Dương",
            "challenge": challenge.token,
            "answer": str(sum(challenge.question)),
        }
        response = Client().post(url, data)
        answers.append((response.status_code, response.content.decode().count("<li")))
    assert answers[0] == answers[1] and answers[0][0] == 200
    linked, unlinked = Case.objects.order_by("pk")
    assert linked.candidate == office.candidate and unlinked.person is None
    assert "[M9999999]" in unlinked.content


def test_the_inspector_picks_the_letters_unit_by_searching(office: Office) -> None:
    client = Client()
    client.force_login(office.inspector)
    page = client.get("/cases/record/").content.decode()
    assert 'hx-get="/pick/units/?name=unit"' in page
    picks = client.get("/pick/units/", {"name": "unit", "q": "tran phu"}).content.decode()
    assert 'name="unit" value="G1"' in picks


def test_the_register_picks_its_unit_filter_by_searching(office: Office) -> None:
    office.accept(office.denounce())
    client = _client(office.inspector)
    page = client.get("/cases/").content.decode()
    assert 'name="unit"' not in page  # no code to type: a search picker instead
    assert 'hx-get="/pick/units/?name=unit&amp;optional=1"' in page
    picks = client.get("/pick/units/", {"q": "D1", "name": "unit", "optional": "1"})
    assert 'name="unit" value="D1"' in picks.content.decode()
    assert " required" not in picks.content.decode()  # a filter may be left empty
    chosen = client.get("/cases/", {"unit": "D1", "q": "D1"}).content.decode()
    assert 'name="unit" value="D1" checked' in chosen and 'name="unit" value=""' in chosen
    assert '/cases/export.xlsx?unit=D1"' in chosen  # the search text stays out of the links


def test_the_inspector_picks_the_person_concerned_by_searching(office: Office) -> None:
    client = _client(office.inspector)
    page = client.get("/cases/record/").content.decode()
    assert "/pick/people/?unit=" in page and "name=person&amp;optional=1" in page
    assert 'name="person" id="person"' not in page  # no typed member code


def test_the_case_page_offers_the_second_inspector_to_send_back(office: Office) -> None:
    case = office.accept(office.denounce())
    actions.case_assign(actor=office.inspector, case=case, inspector=office.inspector)
    actions.case_conclusion_prepare(
        actor=office.inspector, case=case, outcome="unfounded", conclusion="No evidence."
    )
    client = _client(office.inspector2)
    assert 'class="return-form"' in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/{case.pk}/", {"op": "return", "reason": "Hear him first."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "verifying"


def test_the_calendar_page_shows_a_years_days_off_and_an_admin_declares_one(
    office: Office,
) -> None:
    from daihoi import testing
    from daihoi.core.models import AuditEvent

    reader = _client(office.inspector)
    page = reader.get("/cases/calendar/", {"year": "2025"}).content.decode()
    assert 'id="calendar-days"' in page and "Declare a day" not in page  # reading only
    assert "tet" not in page.split('id="calendar-days"')[1]  # names, not the file's codes
    assert reader.post("/cases/calendar/", {"day": "2025-12-31", "working": "0"}).status_code == 403
    assert not AuditEvent.objects.filter(action="calendar_day_set").exists()
    admin = _client(testing.make_user(username="root_admin", superuser=True))
    response = admin.post(
        "/cases/calendar/", {"day": "2025-12-31", "working": "0", "name": "Nghỉ bù"}, follow=True
    )
    assert "Nghỉ bù" in response.content.decode()
    assert AuditEvent.objects.filter(action="calendar_day_set").count() == 1
    bad = admin.post("/cases/calendar/", {"day": "31/12/2025", "working": "0"}, follow=True)
    assert (
        bad.status_code == 200 and AuditEvent.objects.filter(action="calendar_day_set").count() == 1
    )
    assert admin.get("/cases/calendar/", {"year": "2031"}).status_code == 200  # not covered
    assert admin.get("/cases/calendar/", {"year": "x"}).status_code == 200
