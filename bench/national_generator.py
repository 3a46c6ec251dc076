"""Generator of a national dataset: ~60,000 units and millions of members as CSV files.

    python -m bench.national_generator OUT_DIR [--members 5600000]

One national root, 34 provinces, 20 committees above grassroots per province, 12 grassroots
organizations per committee and 6 cells per grassroots organization (58,515 units), and the
members spread over the cells, with the demo's name and age distributions. Seeded, so two
runs write the same files. Rows are written as they are made: memory stays small.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

from daihoi.demo.names import PeopleGenerator
from daihoi.organizations.imports import MEMBER_COLUMNS, UNIT_COLUMNS

PROVINCES, ABOVE, GRASSROOTS, CELLS = 34, 20, 12, 6


def units() -> Iterator[list[str]]:
    """Rows of the units file, every parent before its children."""
    yield ["VN", "Đảng Cộng sản Việt Nam", "national", "", "1930-02-03", ""]
    for p in range(PROVINCES):
        province = f"T{p:02d}"
        yield [province, f"Đảng bộ tỉnh số {p + 1}", "province", "VN", "2025-07-01", ""]
        for a in range(ABOVE):
            above = f"{province}A{a:02d}"
            yield [
                above,
                f"Đảng bộ {a + 1} thuộc tỉnh {p + 1}",
                "above_grassroots",
                province,
                "2025-07-01",
                "",
            ]
            for g in range(GRASSROOTS):
                grassroots = f"{above}G{g:02d}"
                yield [
                    grassroots,
                    f"Đảng bộ cơ sở {grassroots}",
                    "grassroots",
                    above,
                    "2025-07-01",
                    "",
                ]
                for c in range(CELLS):
                    yield [
                        f"{grassroots}C{c}",
                        f"Chi bộ {grassroots}C{c}",
                        "cell",
                        grassroots,
                        "2025-07-01",
                        "",
                    ]


def cell_codes() -> list[str]:
    return [row[0] for row in units() if row[2] == "cell"]


def members(count: int, seed: int = 2025) -> Iterator[list[str]]:
    rng = random.Random(seed)
    people = PeopleGenerator(rng)
    cells = cell_codes()
    for n in range(count):
        data = people.person(office=rng.random() < 0.3)
        yield [
            f"VN{n:08d}",
            data.full_name,
            data.birth_date.isoformat(),
            data.gender,
            data.ethnicity,
            data.education,
            data.political_theory,
            data.date_joined.isoformat(),
            data.status,
            cells[n % len(cells)],
        ]


def write(out: Path, *, count: int) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    units_file, members_file = out / "units.csv", out / "members.csv"
    with units_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UNIT_COLUMNS)
        writer.writerows(units())
    with members_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MEMBER_COLUMNS)
        writer.writerows(members(count))
    return units_file, members_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--members", type=int, default=5_600_000)
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "daihoi.settings")
    import django

    django.setup()
    print(*write(args.out, count=args.members))


if __name__ == "__main__":
    main()
