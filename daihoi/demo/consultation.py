"""Demo step: the province's draft political report, open for comments, with July's minutes in.

The draft belongs to the province's congress of the demo cycle; its consultation is open to the
members of the whole province, and about 500 comments taken from cell, grassroots and district
meetings in July 2025 are entered through `comments_ingest`, as the system. The same points
come back reworded, without diacritics or re-punctuated, so the synthesis finds groups.
Idempotent: a province whose congress already has the draft is left alone.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import unicodedata
from collections import Counter

from django.db import transaction
from django.utils import timezone

from daihoi.accounts.authority import SYSTEM
from daihoi.congresses.models import Congress, Cycle
from daihoi.consultation import drafting
from daihoi.consultation.actions import (
    CommentInput,
    comments_ingest,
    consultation_open,
    draft_create,
    draft_version_import,
)
from daihoi.consultation.actions.comments import MAX_BATCH
from daihoi.consultation.models import Comment, Consultation, Draft
from daihoi.demo import report
from daihoi.demo.cycle import CYCLE_NAME
from daihoi.demo.province import ROOT_CODE
from daihoi.organizations.models import Unit

SEED = 2025_07
OPENS = datetime.datetime(2025, 7, 1)
# Open from 1 July to 30 August 2025: the demo is built and served as of 15 July (`clock`).
OPEN_FOR = datetime.timedelta(days=60)
# Meetings whose minutes are entered, by the level of the unit that met.
MEETINGS = {"cell": 170, "grassroots": 45, "above_grassroots": 6}
COMMENTS_PER_MEETING = {"cell": (1, 3), "grassroots": (2, 4), "above_grassroots": (3, 5)}
GENERAL_SHARE = 0.12
AMENDMENT_SHARE = 0.25  # of the comments on a paragraph that has proposed amendments
ONE_OFF_SHARE = 0.04


def markdown() -> str:
    blocks: list[str] = []
    for chapter in report.CHAPTERS:
        blocks.append(f"## {chapter.title}")
        blocks.extend(passage.text for passage in chapter.passages)
    return "\n\n".join(blocks) + "\n"


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _repunctuate(rng: random.Random, text: str) -> str:
    text = text.replace(", ", rng.choice([" , ", "; ", " - ", " "]))
    text = text.rstrip(".") + rng.choice(["", ".", "..", "!", " ."])
    return text.upper() if rng.random() < 0.15 else text


def _reword(rng: random.Random, text: str) -> str:
    for old, new in rng.sample(report.SYNONYMS, 3):
        text = text.replace(old, new, 1)
    return text


def _as_minuted(rng: random.Random, point: str) -> str:
    """The point as a minute-taker wrote it down: reworded, unaccented or re-punctuated."""
    prefix = rng.choice(report.PREFIXES)
    if prefix and not prefix.endswith(": "):
        point = point[0].lower() + point[1:]
    text = prefix + point
    roll = rng.random()
    if roll < 0.15:
        return _without_diacritics(text)
    if roll < 0.3:
        return _repunctuate(rng, text)
    if roll < 0.45:
        return _reword(rng, text)
    return text


def _pick(rng: random.Random, points: tuple[str, ...]) -> str:
    """The first points of a list are raised most often."""
    return rng.choices(points, weights=[1 / (i + 1) ** 1.5 for i in range(len(points))])[0]


def _comment(
    rng: random.Random, anchors: list[str], one_off: list[tuple[int, str]]
) -> CommentInput:
    roll = rng.random()
    if one_off and roll < ONE_OFF_SHARE:
        index, text = one_off.pop(0)
        return CommentInput(text=text, paragraph=anchors[index])
    if roll < ONE_OFF_SHARE + GENERAL_SHARE:
        return CommentInput(text=_as_minuted(rng, _pick(rng, report.GENERAL_POINTS)))
    passages = [p for chapter in report.CHAPTERS for p in chapter.passages]
    index = rng.choices(range(len(passages)), weights=[len(p.points) for p in passages])[0]
    passage, anchor = passages[index], anchors[index]
    if passage.amendments and rng.random() < AMENDMENT_SHARE:
        amendment = rng.choice(passage.amendments)
        return CommentInput(
            text=_as_minuted(rng, amendment.text),
            paragraph=anchor,
            kind=Comment.Kind.AMENDMENT,
            proposed_text=passage.text.replace(amendment.old, amendment.new),
        )
    return CommentInput(text=_as_minuted(rng, _pick(rng, passage.points)), paragraph=anchor)


def _meeting_ref(unit: Unit) -> str:
    if unit.level == "above_grassroots":
        return f"Biên bản hội nghị Ban Chấp hành {unit.name} (mở rộng) góp ý dự thảo văn kiện"
    if unit.level == "grassroots" and unit.name.startswith("Đảng bộ"):
        return f"Biên bản hội nghị Ban Chấp hành {unit.name} tháng 7/2025"
    return "Biên bản họp chi bộ tháng 7/2025"


def comments_from_meetings(
    *, rng: random.Random, root: Unit, anchors: list[str]
) -> list[CommentInput]:
    """What the minutes of July's meetings across the province hold, meeting by meeting."""
    items: list[CommentInput] = []
    one_off = list(report.ONE_OFF)
    first_day = {"cell": 1, "grassroots": 8, "above_grassroots": 20}
    for level, meetings in MEETINGS.items():
        units = list(
            Unit.objects.filter(
                path__startswith=root.path, level=level, active_until__isnull=True
            ).order_by("path")
        )
        low, high = COMMENTS_PER_MEETING[level]
        for unit in sorted(rng.sample(units, min(meetings, len(units))), key=lambda u: u.path):
            day = datetime.date(2025, 7, rng.randint(first_day[level], 31))
            ref = _meeting_ref(unit)
            for _ in range(rng.randint(low, high)):
                items.append(
                    dataclasses.replace(
                        _comment(rng, anchors, one_off),
                        channel=Comment.Channel.MEETING,
                        unit=unit.code,
                        meeting_ref=ref,
                        meeting_date=day,
                    )
                )
    return items


def build(*, root: Unit | None = None, stdout: object = None) -> None:
    root = root or Unit.objects.filter(code=ROOT_CODE).first()
    cycle = Cycle.objects.filter(root=root, name=CYCLE_NAME).first() if root else None
    if root is None or cycle is None:
        _say(stdout, "No demo cycle; no consultation built.")
        return
    congress = Congress.objects.select_related("unit").get(cycle=cycle, unit=root)
    if Draft.objects.filter(congress=congress, title=report.TITLE).exists():
        _say(stdout, "The demo consultation exists; not building it again.")
        return
    with transaction.atomic():
        consultation = _open(congress)
        anchors = list(
            consultation.draft_version.paragraphs.order_by("number").values_list(
                "anchor", flat=True
            )
        )
        items = comments_from_meetings(rng=random.Random(SEED), root=root, anchors=anchors)
        # One batch per district's minutes, as each district office would send them.
        by_district: dict[str, list[CommentInput]] = {}
        for item in items:
            by_district.setdefault((item.unit or "").split("-")[1], []).append(item)
        for batch in by_district.values():
            for start in range(0, len(batch), MAX_BATCH):
                comments_ingest(
                    actor=SYSTEM, consultation=consultation, items=batch[start : start + MAX_BATCH]
                )
    levels = Counter(
        Unit.objects.filter(code__in={item.unit for item in items}).values_list("level", flat=True)
    )
    _say(
        stdout,
        f"Opened the consultation on the draft political report: {len(anchors)} paragraphs, "
        f"{len(items)} comments from the minutes of {levels['cell']} cells, "
        f"{levels['grassroots']} grassroots organizations and {levels['above_grassroots']} "
        "committees above grassroots.",
    )


def _open(congress: Congress) -> Consultation:
    draft = draft_create(
        actor=SYSTEM, congress=congress, kind=Draft.Kind.POLITICAL_REPORT, title=report.TITLE
    )
    version = draft_version_import(
        actor=SYSTEM,
        draft=draft,
        source_format=drafting.MARKDOWN,
        data=markdown(),
        note="Dự thảo lần 1",
    )
    return consultation_open(
        actor=SYSTEM,
        version=version,
        audience=Consultation.Audience.SUBTREE,
        audience_unit=congress.unit,
        opens_at=timezone.make_aware(OPENS),
        closes_at=timezone.make_aware(OPENS + OPEN_FOR),
    )


def _say(stdout: object, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")  # type: ignore[attr-defined]
