"""Words that say the same in a comment on a draft, mapped to one form before comparing.

Consultation comments reword with a small set of everyday equivalents: the verb of proposing
(đề nghị, kiến nghị, đề xuất), of agreeing (nhất trí, đồng ý, tán thành), of necessity (cần,
phải, nên), of purpose (để, nhằm), the name of the draft (dự thảo, văn kiện) and of the people
(người dân, nhân dân, bà con). Two comments that differ only by these are one comment. The list
is deliberately short: content words (subjects, places, figures) are never merged here, they
are what tells comments apart. Keys and values are folded (see `normalize_comment`).

Both lists were written with the project's comment generators in view (`bench/`), so the
benchmarks do not measure how well they cover a real corpus; a formula not listed here is
still weighed down by its frequency (see `tokens`).
"""

from __future__ import annotations

import re

EQUIVALENTS: dict[str, str] = {
    "kien nghi": "de nghi",
    "de xuat": "de nghi",
    "dong y": "nhat tri",
    "tan thanh": "nhat tri",
    "dong tinh": "nhat tri",
    "thong nhat": "nhat tri",
    "phai": "can",
    "nen": "can",
    "nham": "de",
    "de cho": "de",
    "voi muc dich": "de",
    "ban du thao": "du thao",
    "van kien": "du thao",
    "nhan dan": "nguoi dan",
    "ba con": "nguoi dan",
    "day manh": "tang cuong",
    "thuc day": "tang cuong",
    "nang cao": "tang cuong",
    "cai thien": "tang cuong",
    "chu trong": "quan tam",
    "chu y": "quan tam",
    "bat cap": "han che",
    "yeu kem": "han che",
    "rat nhieu": "nhieu",
    "kha nhieu": "nhieu",
    "ban than toi": "toi",
    "ca nhan toi": "toi",
    "can bo cong chuc": "can bo",
    "cong chuc": "can bo",
}
# Politeness formulas and hedges that any comment may carry and that say nothing about its
# subject: dropped before comparing.
BOILERPLATE = [
    "xin cam on",
    "xin chan thanh cam on",
    "tran trong",
    "kinh gui",
    "kinh thua",
    "thua",
    "rat mong duoc tiep thu",
    "mong duoc tiep thu",
    "mong duoc xem xet",
    "rat mong duoc xem xet",
    "day la y kien tam huyet",
    "theo toi",
    "theo y kien cua toi",
    "y kien cua toi",
    "toi thay rang",
    "toi thay",
    "toi nghi rang",
    "toi nghi",
    "noi chung",
    "thuc su la",
    "thuc ra",
]
_REPLACEMENTS = {**EQUIVALENTS, **dict.fromkeys(BOILERPLATE, "")}
_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _REPLACEMENTS), key=len, reverse=True)) + r")\b"
)


def canonical_wording(normalized: str) -> str:
    """`normalized` with every everyday equivalent replaced by its one form and the
    politeness formulas dropped."""
    return _PATTERN.sub(lambda match: _REPLACEMENTS[match.group(0)], normalized)
