"""Hostile input never reaches a 500: refused centrally with a clear message."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from daihoi import testing
from daihoi.accounts import actions as account_actions
from daihoi.core.actors import SYSTEM
from daihoi.core.archives import zip_problem
from daihoi.core.inputs import MAX_INT, guard_model_values, int_out_of_range, require_date_between
from daihoi.core.text import nfc, strip_invisible
from daihoi.organizations.imports.table import ImportRejected, read_table
from daihoi.organizations.models import CommitteeSeat, Person
from daihoi.testing import zip_bomb

INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\ufeff\u2060"
)


@pytest.fixture
def client_d1(organizer_d1: Any) -> Client:
    client = Client()
    client.force_login(organizer_d1)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/?q=a%00b",
        "/u/D1/?q=Nguy%00en",
        "/u/D1%00/",
        "/u/D1/?page=1%00",
        "/api/v1/units/D1/members?q=a%00b",
        "/api/v1/units/D1%00",
    ],
)
def test_nul_in_query_or_path_is_a_400(client_d1: Client, url: str) -> None:
    response = client_d1.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_a_form_field_is_a_400(client_d1: Client, province: Any) -> None:
    response = client_d1.post("/accounts/grants/", {"username": "a\x00b", "unit_code": "D1"})
    assert response.status_code == 400
    response = Client().post("/accounts/login/", {"username": "x\x00", "password": "y"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_nul_in_a_json_body_is_a_400_with_field_and_code(client_d1: Client) -> None:
    response = client_d1.post(
        "/api/v1/units/D1/members",
        data=json.dumps({"nested": [{"text": "ok"}, {"reason": "bad\u0000"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["code"] == "nul_byte"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/D1/members?page=100000000000000000000",
        "/api/v1/units/D1/members?page=-99999999999",
        "/api/v1/units/D1/members?page_size=4294967296",
        "/u/D1/?page=100000000000000000000",
    ],
)
def test_integer_overflow_in_the_query_is_a_400(client_d1: Client, url: str) -> None:
    response = client_d1.get(url)
    assert response.status_code == 400
    assert str(MAX_INT) in response.content.decode()  # the message names the limit


@pytest.mark.django_db
def test_float_page_is_not_a_500(client_d1: Client) -> None:
    assert client_d1.get("/u/D1/?page=1e20").status_code == 200
    assert client_d1.get("/api/v1/units/D1/members?page=1e20").status_code in (400, 422)


@pytest.mark.django_db
def test_search_for_a_long_number_is_a_search(client_d1: Client) -> None:
    assert client_d1.get("/u/D1/?q=123456789012345678901234").status_code == 200


@pytest.mark.django_db
def test_huge_integer_in_json_is_a_400(client_d1: Client) -> None:
    response = client_d1.post(
        "/api/v1/units/D1/members",
        data=json.dumps({"seats": 10**30}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["code"] == "int_range"


def test_int_out_of_range() -> None:
    assert int_out_of_range(str(MAX_INT + 1)) and int_out_of_range("-" + "9" * 12)
    assert not int_out_of_range(str(MAX_INT)) and not int_out_of_range("abc")
    assert not int_out_of_range("1e20")


@pytest.mark.django_db
def test_a_too_large_request_is_a_413() -> None:
    with override_settings(DAIHOI_MAX_REQUEST_BYTES=1000):
        response = Client().post("/accounts/login/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413


def test_integer_beyond_its_column_is_a_field_error() -> None:
    seat = CommitteeSeat(term_start=2025, term_end=70000)  # a small integer column
    with pytest.raises(ValidationError) as exc:
        guard_model_values(CommitteeSeat, seat)
    assert exc.value.error_dict["term_end"][0].code == "out_of_range"


@pytest.mark.django_db
def test_text_longer_than_its_column_is_a_field_error_on_every_database(
    province: Any,
) -> None:
    limit = Person._meta.get_field("full_name").max_length
    with pytest.raises(ValidationError) as exc:
        testing.make_person(unit=province["c1"], full_name="A" * (limit + 1))
    assert exc.value.error_dict["full_name"][0].code == "too_long"


@pytest.mark.django_db
def test_implausible_dates_are_refused_when_saved(province: Any) -> None:
    for day in (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as exc:
            testing.make_person(unit=province["c1"], birth_date=day)
        assert exc.value.error_dict["birth_date"][0].code == "date_out_of_range"


def test_require_date_between_names_the_range() -> None:
    require_date_between(datetime.date(2025, 7, 1), field="held_on")
    with pytest.raises(ValidationError) as exc:
        require_date_between(
            datetime.date(2031, 1, 1),
            field="held_on",
            earliest=datetime.date(2025, 1, 1),
            latest=datetime.date(2030, 12, 31),
            code="outside_cycle",
        )
    error = exc.value.error_dict["held_on"][0]
    assert error.code == "outside_cycle" and "2030-12-31" in error.message


def test_invisible_characters_are_stripped_from_names() -> None:
    assert nfc(f"Nguy{INVISIBLE}ễn Văn\u202e An") == "Nguyễn Văn An"
    assert nfc(INVISIBLE) == ""
    assert nfc("C\u200b1") == "C1"


@given(st.text())
def test_strip_invisible_leaves_no_format_or_control_character(value: str) -> None:
    import unicodedata

    cleaned = strip_invisible(value)
    assert all(
        unicodedata.category(ch) != "Cf" and (unicodedata.category(ch) != "Cc" or ch.isspace())
        for ch in cleaned
    )
    assert strip_invisible(cleaned) == cleaned


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"])))
def test_strip_invisible_keeps_visible_text(value: str) -> None:
    assert strip_invisible(value) == value


@pytest.mark.django_db
def test_a_username_of_invisible_characters_is_not_a_user(organizer_d1: Any) -> None:
    with pytest.raises(ValidationError):
        account_actions.user_create(actor=SYSTEM, username=nfc(INVISIBLE) or "", password=None)


def test_zip_bomb_is_recognised_before_unpacking() -> None:
    big = zip_bomb()
    assert len(big) < 2 * 1024 * 1024
    assert zip_problem(big) == "too_large_unpacked"
    assert zip_problem(zip_bomb(20 * 1024 * 1024)) == "compression_ratio"
    assert zip_problem(b"not a zip") == "not_zip"


@pytest.mark.django_db
def test_import_zip_bomb_and_oversized_file_are_refused() -> None:
    with pytest.raises(ImportRejected):
        read_table(zip_bomb(20 * 1024 * 1024), "members.xlsx")
    with (
        translation.override("en"),
        override_settings(DAIHOI_MAX_IMPORT_BYTES=100),
        pytest.raises(ImportRejected) as exc,
    ):
        read_table(b"member_code\n" + b"M1\n" * 100, "members.csv")
    assert "the limit for an import" in exc.value.problems[0].message


def test_audit_chain_steplen_is_the_trees() -> None:
    from daihoi.core import audit
    from daihoi.organizations.models import Unit

    assert Unit.steplen == audit.CHAIN_STEPLEN
