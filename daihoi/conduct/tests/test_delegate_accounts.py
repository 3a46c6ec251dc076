"""Delegate accounts: made in bulk for a roster, one-time login codes on printed letters,
ended with the congress."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from daihoi import testing
from daihoi.accounts.authority import SYSTEM
from daihoi.accounts.models import User
from daihoi.conduct import actions, queries
from daihoi.conduct.models import Delegate, DelegateLogin
from daihoi.conduct.tests.factories import send_up
from daihoi.congresses.models import Congress
from daihoi.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 20)


@pytest.fixture(autouse=True)
def _today(settings: Any) -> None:
    settings.DAIHOI_TODAY = "2025-06-20"
    cache.clear()


@pytest.fixture
def roster(d1_congress: Congress, congresses: dict[str, Congress]) -> list[Delegate]:
    d1_congress.latest = DAY
    d1_congress.save(update_fields=["latest"])
    officials, alternates = send_up(d1_congress, congresses["g1"], officials=3, alternates=1)
    return officials + alternates


def _code_of(letters: list[tuple[Delegate, str]], line: Delegate) -> str:
    return next(code for d, code in letters if d.pk == line.pk)


def test_an_organizer_makes_an_account_for_everyone_who_may_attend(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    made = actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    assert (made.created, made.linked, made.total) == (4, 0, 4)
    for line in roster:
        user = User.objects.get(person=line.person)
        assert not user.has_usable_password()
    again = actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    assert (again.created, again.total) == (0, 4)


def test_a_person_with_an_account_keeps_it_and_it_survives_the_congress(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    own = testing.make_user(username="has_one", person=roster[0].person)
    made = actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    assert (made.created, made.linked) == (3, 1)
    actions.delegate_accounts_end(actor=organizer_d1, congress=d1_congress)
    own.refresh_from_db()
    assert own.is_active
    made_here = DelegateLogin.objects.filter(created_user=True).values_list("user_id", flat=True)
    assert not User.objects.filter(pk__in=made_here, is_active=True).exists()


def test_someone_outside_the_unit_may_not_make_accounts(
    province: dict[str, Any], d1_congress: Congress, roster: list[Delegate]
) -> None:
    stranger = testing.make_user(username="d2org", role=testing.ORGANIZER, unit=province["d2"])
    with pytest.raises(PermissionDenied):
        actions.delegate_accounts_create(actor=stranger, congress=d1_congress)


def test_a_login_code_works_once(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    letters = actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    code = _code_of(letters, roster[0])
    user = actions.delegate_login_redeem(code=code.lower().replace("-", " "))
    assert user.person_id == roster[0].person_id
    with pytest.raises(ValidationError) as used:
        actions.delegate_login_redeem(code=code)
    assert used.value.error_dict["code"][0].code == "login_code_used"
    assert not DelegateLogin.objects.filter(code_hash=code).exists()  # only the hash is kept


def test_printing_again_voids_the_earlier_letters(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    first = actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    second = actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    with pytest.raises(ValidationError) as old:
        actions.delegate_login_redeem(code=_code_of(first, roster[1]))
    assert old.value.error_dict["code"][0].code == "login_code_unknown"
    assert actions.delegate_login_redeem(code=_code_of(second, roster[1])).is_active


def test_a_code_expires_after_the_congress(
    settings: Any, organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    letters = actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    settings.DAIHOI_TODAY = "2025-06-21"
    with pytest.raises(ValidationError) as late:
        actions.delegate_login_redeem(code=_code_of(letters, roster[0]))
    assert late.value.error_dict["code"][0].code == "login_code_expired"


def test_concluding_the_congress_ends_its_accounts(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    from daihoi.congresses.actions import congress_transition

    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    Congress.objects.filter(pk=d1_congress.pk).update(state="in_session", starts_on=DAY)
    congress_transition(actor=organizer_d1, congress=d1_congress, transition="conclude", on=DAY)
    assert DelegateLogin.objects.filter(revoked_at__isnull=True).count() == 0


def test_the_conclusion_hook_voids_codes_and_deactivates_accounts(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    from daihoi.core import hooks

    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    letters = actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    hooks.congress_transitioned(actor=SYSTEM, congress=d1_congress, transition="convene")
    assert DelegateLogin.objects.filter(revoked_at__isnull=True).count() == 4
    hooks.congress_transitioned(actor=SYSTEM, congress=d1_congress, transition="conclude")
    with pytest.raises(ValidationError) as ended:
        actions.delegate_login_redeem(code=_code_of(letters, roster[2]))
    assert ended.value.error_dict["code"][0].code == "login_code_unknown"
    assert not User.objects.filter(delegate_logins__created_user=True, is_active=True).exists()
    assert AuditEvent.objects.filter(action="delegate_accounts_end").exists()


def test_letters_need_the_congress_dates(
    organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    d1_congress.latest = None
    d1_congress.save(update_fields=["latest"])
    actions.delegate_accounts_create(actor=organizer_d1, congress=d1_congress)
    with pytest.raises(ValidationError) as undated:
        actions.delegate_login_codes_issue(actor=organizer_d1, congress=d1_congress)
    assert undated.value.error_dict["congress"][0].code == "congress_without_dates"


# Pages ---------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_letters_pdf_has_one_page_per_delegate_with_a_working_code(
    tmp_path: Any, organizer_d1: Any, d1_congress: Congress, roster: list[Delegate]
) -> None:
    client = _client(organizer_d1)
    page = f"/conduct/congresses/{d1_congress.pk}/accounts/"
    response = client.post(page, {"op": "create"}, follow=True)
    assert "4 accounts made" in response.content.decode()
    pdf = client.post(f"/conduct/congresses/{d1_congress.pk}/login-letters.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    (tmp_path / "letters.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "letters.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 4
    names = {line.person.full_name for line in roster}
    assert {n for n in names if any(n in p for p in pages)} == names
    code = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", pages[0])
    assert code is not None
    guest = Client()
    shown = guest.get(f"/conduct/login/?code={code.group(0)}")
    assert shown.status_code == 200 and code.group(0) in shown.content.decode()
    assert DelegateLogin.objects.filter(used_at__isnull=False).count() == 0  # GET spends nothing
    done = guest.post("/conduct/login/", {"code": code.group(0)})
    assert done.status_code == 302 and done["Location"] == "/start/"
    assert guest.get("/start/").status_code == 200


def test_a_wrong_code_is_a_form_error_and_attempts_are_limited(settings: Any) -> None:
    settings.DAIHOI_CODE_LOGINS_PER_HOUR = 2
    guest = Client()
    first = guest.post("/conduct/login/", {"code": "not a code"})
    assert first.status_code == 400 and "not valid" in first.content.decode()
    assert guest.post("/conduct/login/", {"code": "AAAAA"}).status_code == 400
    assert guest.post("/conduct/login/", {"code": "AAAAA"}).status_code == 429


def test_only_organizers_see_the_accounts_page(
    province: dict[str, Any], d1_congress: Congress, roster: list[Delegate], credentials_user: Any
) -> None:
    assert (
        _client(credentials_user).get(f"/conduct/congresses/{d1_congress.pk}/accounts/").status_code
        == 403
    )
    stranger = testing.make_user(username="d2org", role=testing.ORGANIZER, unit=province["d2"])
    assert (
        _client(stranger).get(f"/conduct/congresses/{d1_congress.pk}/accounts/").status_code == 404
    )
    assert queries.delegate_logins(d1_congress).count() == 0
