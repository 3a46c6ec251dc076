"""Names sort the Vietnamese way: letters in the Vietnamese alphabet, then tones, then case."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from daihoi import testing
from daihoi.core.text import collation_key, name_key, name_parts
from daihoi.organizations import queries
from daihoi.organizations.models import Person

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# Given names with Đ after D, Ă and Â after A, tones after letters; two people named Anh and
# two named Đức: their family names, then middle names, then birth dates decide.
PEOPLE = [
    ("Trần Văn Ân", datetime.date(1970, 1, 1)),
    ("Lê Thị Anh", datetime.date(1971, 1, 1)),
    ("Nguyễn Thị Anh", datetime.date(1972, 1, 1)),
    ("Phạm Ngọc Ánh", datetime.date(1973, 1, 1)),
    ("Hoàng Văn Ăn", datetime.date(1974, 1, 1)),
    ("Võ Minh Dũng", datetime.date(1975, 1, 1)),
    ("Bùi Quang Đức", datetime.date(1980, 1, 1)),
    ("Bùi Quang Đức", datetime.date(1960, 1, 1)),
    ("Bùi Anh Đức", datetime.date(1990, 1, 1)),
    ("Đỗ Thị Hà", datetime.date(1976, 1, 1)),
    ("Đinh Văn Hà", datetime.date(1977, 1, 1)),
    ("Lý Thị Ơn", datetime.date(1978, 1, 1)),
    ("Mai Văn Ổn", datetime.date(1979, 1, 1)),
]
EXPECTED = [
    ("Lê Thị Anh", 1971),
    ("Nguyễn Thị Anh", 1972),
    ("Phạm Ngọc Ánh", 1973),
    ("Hoàng Văn Ăn", 1974),
    ("Trần Văn Ân", 1970),
    ("Võ Minh Dũng", 1975),
    ("Bùi Anh Đức", 1990),
    ("Bùi Quang Đức", 1960),
    ("Bùi Quang Đức", 1980),
    ("Đinh Văn Hà", 1977),
    ("Đỗ Thị Hà", 1976),
    ("Mai Văn Ổn", 1979),
    ("Lý Thị Ơn", 1978),
]


def test_name_parts_are_family_middle_and_given() -> None:
    assert name_parts("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    assert name_parts("Nguyễn Hà") == ("Nguyễn", "", "Hà")
    assert name_parts("Hà") == ("", "", "Hà")


def test_d_with_stroke_sorts_after_d_and_breve_and_circumflex_after_a() -> None:
    words = ["Đào", "Dung", "Ân", "An", "Ăn", "Bình", "Ê", "Em", "Ơn", "Ôn", "On", "Ưng", "Ung"]
    assert sorted(words, key=collation_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dung",
        "Đào",
        "Em",
        "Ê",
        "On",
        "Ôn",
        "Ơn",
        "Ung",
        "Ưng",
    ]


def test_tones_decide_only_between_equal_letters_in_the_traditional_order() -> None:
    assert sorted(["á", "ạ", "à", "ã", "a", "ả"], key=collation_key) == [
        "a",
        "à",
        "ả",
        "ã",
        "á",
        "ạ",
    ]
    assert sorted(["Ánh", "Anh", "Am"], key=collation_key) == ["Am", "Anh", "Ánh"]


def test_a_list_of_people_sorts_by_given_then_family_then_middle_then_birth_date() -> None:
    ordered = sorted(PEOPLE, key=lambda p: (name_key(p[0]), p[1]))
    assert [(n, d.year) for n, d in ordered] == EXPECTED


def word(letters: str = ALPHABET) -> st.SearchStrategy[str]:
    letter = st.tuples(st.sampled_from(letters), st.sampled_from(TONES), st.booleans()).map(
        lambda t: unicodedata.normalize("NFC", (t[0].upper() if t[2] else t[0]) + t[1])
    )
    return st.lists(letter, min_size=1, max_size=6).map("".join)


@given(word(), word())
def test_letters_decide_before_tones_and_case(a: str, b: str) -> None:
    def letters(w: str) -> list[int]:
        bare = "".join(c for c in unicodedata.normalize("NFD", w.lower()) if c not in TONES)
        return [ALPHABET.index(c) for c in unicodedata.normalize("NFC", bare)]

    if letters(a) != letters(b):
        assert (collation_key(a) < collation_key(b)) == (letters(a) < letters(b))


@given(word(), word(), word())
def test_the_key_orders_consistently(a: str, b: str, c: str) -> None:
    ka, kb, kc = collation_key(a), collation_key(b), collation_key(c)
    assert (ka == kb) == (unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b))
    if ka <= kb <= kc:
        assert ka <= kc


@pytest.mark.django_db
def test_the_database_lists_people_in_the_same_order_on_every_database(
    province: dict[str, Any],
) -> None:
    for full_name, birth in reversed(PEOPLE):
        testing.make_person(unit=province["c1"], full_name=full_name, birth_date=birth)
    listed = queries.unit_members(province["c1"])
    assert [(p.full_name, p.birth_date.year) for p in listed] == EXPECTED
    exported = Person.objects.order_by(*queries.people_order())
    assert [(p.full_name, p.birth_date.year) for p in exported] == EXPECTED


@pytest.mark.django_db
def test_a_large_subtree_read_in_name_order_lists_the_same_members(
    province: dict[str, Any],
) -> None:
    """The walk along the name-order index (a subtree holding most of the tree) finds the
    same current members, in the same order, as the lookup through the units."""
    for n, (full_name, birth) in enumerate(reversed(PEOPLE)):
        unit = province["c1"] if n % 2 else province["c2"]
        testing.make_person(unit=unit, full_name=full_name, birth_date=birth)
    testing.make_person(unit=province["c1"], full_name="Lê Văn Đã Mất", status="deceased")
    root = province["province"]
    assert queries.holds_most_of_the_tree(root, counts=queries.member_counts(root))
    assert queries.holds_most_of_the_tree(root)
    assert not queries.holds_most_of_the_tree(province["c1"])
    for unit in (root, province["d1"], province["c1"]):
        walked = list(queries.unit_members(unit, most=True).values_list("pk", flat=True))
        found = list(queries.unit_members(unit).values_list("pk", flat=True))
        assert walked == found
    assert len(found) < len(PEOPLE)  # province["c1"] holds half of them
    assert Person.objects.filter(status="deceased").exists()
    assert "Lê Văn Đã Mất" not in [p.full_name for p in queries.unit_members(root, most=True)]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's ICU")
@given(st.lists(st.tuples(word(), word(), word()), min_size=2, max_size=30))
def test_the_key_sorts_as_postgresql_vi_icu_collation_does(
    names: list[tuple[str, str, str]],
) -> None:
    rows = [" ".join(parts) for parts in names]
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params: list[Any] = []
    for i, (family, middle, given_name) in enumerate(names):
        params += [i, given_name, family, middle]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i FROM (VALUES {values}) AS t(i, g, f, m) "
            'ORDER BY g COLLATE "vi-x-icu", f COLLATE "vi-x-icu", m COLLATE "vi-x-icu", i',
            params,
        )
        icu = [rows[i] for (i,) in cursor.fetchall()]
    ours = [rows[i] for i in sorted(range(len(rows)), key=lambda i: (name_key(rows[i]), i))]
    assert ours == icu
