"""Deterministic generator of *formulaic* Vietnamese comments, the way minutes and forms read.

Many comments share an opener and a template and differ only in a slot: the subject of the
political report, a place, a period or year, a percentage, the measure proposed ("Đề nghị bổ
sung chỉ tiêu cụ thể về kinh tế số cho giai đoạn 2025–2030" against "… về công tác cán bộ …").
Each *distinct comment* (a template with its slots filled) is a ground-truth group. Some
distinct comments are planted as *siblings* of another: the same template and slots with one
slot changed, the near-misses an editor must see apart. A distinct comment is then copied
exactly or retyped as a variant: diacritics dropped, punctuation and case changed, a filler
phrase added, a typo, its clauses swapped, an opener added or removed.

``group`` is the ground truth; every comment belongs to one (a group of one is a comment
nobody repeated).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.comment_generator import PARAGRAPHS, strip_diacritics
from daihoi.consultation.synthesis import normalize_comment

OPENERS = [
    "Qua nghiên cứu dự thảo, tôi xin góp ý như sau:",
    "Tôi cơ bản nhất trí với dự thảo, đồng thời",
    "Chi bộ thống nhất kiến nghị:",
    "Thay mặt chi bộ, xin đề xuất:",
    "Sau khi thảo luận, hội nghị",
    "Ý kiến của đảng viên:",
    "Cử tri phản ánh với chi bộ:",
    "Về nội dung này,",
    "Góp ý vào dự thảo Báo cáo chính trị:",
]
FILLERS_BEFORE = ["Theo tôi,", "Tôi thấy rằng", "Thực sự là", "Nói chung", "Tôi nghĩ"]
FILLERS_AFTER = [
    "Xin cảm ơn.",
    "Trân trọng.",
    "Rất mong được tiếp thu.",
    "Mong Ban soạn thảo xem xét.",
    "Đây là ý kiến tâm huyết.",
]

# A template is one or two clauses; a variant may swap the two clauses.
TEMPLATES: list[tuple[str, ...]] = [
    ("đề nghị bổ sung chỉ tiêu cụ thể về {subject}", "cho giai đoạn {period}"),
    ("cần làm rõ giải pháp {measure} đối với {subject}", "nhất là tại {place}"),
    ("đề nghị nâng tỷ lệ {subject} lên {percent}%", "vào năm {year}"),
    ("cần đánh giá sâu hơn kết quả {subject} ở {place}", "trong nhiệm kỳ {period}"),
    ("kiến nghị ưu tiên nguồn lực cho {subject}", "tại {place} từ năm {year}"),
    ("đề nghị {measure} cho {subject}", "để đến năm {year} đạt {percent}%"),
    ("báo cáo chưa nêu rõ hạn chế về {subject} ở {place}",),
    ("đề nghị đưa {subject} thành nhiệm vụ trọng tâm", "của giai đoạn {period}"),
    ("cần có cơ chế {measure} trong {subject}", "ở {place}"),
    ("đề nghị đặt mục tiêu {subject} đạt {percent}%", "giai đoạn {period}"),
    ("phần đánh giá {subject} còn chung chung", "cần số liệu cụ thể của {place}"),
    ("đề nghị sửa chỉ tiêu {subject} từ {percent}% thành {percent2}%",),
    ("cần bổ sung giải pháp {measure}", "để phát triển {subject} tại {place}"),
    ("đề nghị tổng kết {subject} giai đoạn {period}", "và rút ra bài học cho {place}"),
]
SUBJECTS = [
    "kinh tế số",
    "công tác cán bộ",
    "chuyển đổi số",
    "xây dựng nông thôn mới",
    "kinh tế tư nhân",
    "phòng chống tham nhũng",
    "giáo dục và đào tạo",
    "y tế cơ sở",
    "bảo hiểm y tế",
    "giảm nghèo bền vững",
    "công nghiệp chế biến",
    "hạ tầng giao thông",
    "bảo vệ môi trường",
    "thu hút đầu tư",
    "phát triển du lịch",
    "an ninh trật tự",
    "cải cách hành chính",
    "văn hóa cơ sở",
    "đào tạo nghề",
    "việc làm cho thanh niên",
    "nhà ở xã hội",
    "nước sạch nông thôn",
    "ứng dụng khoa học công nghệ",
    "kinh tế biển",
    "công tác dân vận",
    "xây dựng tổ chức cơ sở đảng",
    "kiểm tra giám sát",
    "tinh gọn bộ máy",
    "đô thị hóa",
    "nông nghiệp công nghệ cao",
    "hợp tác xã",
    "doanh nghiệp nhỏ và vừa",
    "thể thao quần chúng",
    "chăm sóc người cao tuổi",
    "bình đẳng giới",
    "đồng bào dân tộc thiểu số",
    "phòng chống thiên tai",
    "quản lý đất đai",
    "thu ngân sách",
    "xuất khẩu nông sản",
    "logistics",
    "năng lượng tái tạo",
    "an toàn thực phẩm",
    "dịch vụ công trực tuyến",
    "đảng viên trẻ",
    "cán bộ nữ",
    "quốc phòng toàn dân",
    "trường chuẩn quốc gia",
    "trạm y tế xã",
    "điện nông thôn",
    "khởi nghiệp sáng tạo",
    "kinh tế tuần hoàn",
    "chợ truyền thống",
    "làng nghề",
    "thương mại điện tử",
    "phòng chống ma túy",
    "an sinh xã hội",
    "người có công",
    "thanh tra công vụ",
    "tiếp công dân",
    "quy hoạch tỉnh",
    "đường thủy nội địa",
    "cảng biển",
    "thủy lợi",
    "rừng phòng hộ",
    "chăn nuôi an toàn sinh học",
    "mỗi xã một sản phẩm",
    "bảo tồn di sản",
    "thư viện số",
    "tiêm chủng mở rộng",
    "dinh dưỡng trẻ em",
    "xóa nhà tạm",
    "dân chủ ở cơ sở",
    "mặt trận tổ quốc",
    "đoàn thanh niên",
    "hội nông dân",
    "công đoàn cơ sở",
    "lao động đi làm việc ở nước ngoài",
    "ngoại giao nhân dân",
    "đất nông nghiệp",
]
PLACES = [
    "Hải Dương",
    "Hải Phòng",
    "Thái Bình",
    "Nam Định",
    "Hà Nam",
    "Hà Tĩnh",
    "Hà Giang",
    "Quảng Bình",
    "Quảng Trị",
    "Quảng Nam",
    "Quảng Ngãi",
    "Bình Định",
    "Bình Dương",
    "Thái Nguyên",
    "Bắc Giang",
    "Bắc Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Lào Cai",
    "Lạng Sơn",
    "Sơn La",
    "Cao Bằng",
    "Đồng Nai",
    "Long An",
    "Cần Thơ",
    "An Giang",
    "Kiên Giang",
    "Cà Mau",
    "huyện Kinh Môn",
    "huyện Thanh Hà",
    "thị xã Chí Linh",
    "các xã miền núi",
    "vùng ven biển",
    "khu công nghiệp",
    "các phường trung tâm",
    "vùng đồng bào dân tộc",
    "Hòa Bình",
    "Phú Thọ",
    "Vĩnh Phúc",
    "Tuyên Quang",
    "Yên Bái",
    "Điện Biên",
    "Lai Châu",
    "Hà Tây",
    "Thừa Thiên Huế",
    "Đà Nẵng",
    "Khánh Hòa",
    "Gia Lai",
    "Kon Tum",
    "Đắk Lắk",
    "Lâm Đồng",
    "Tây Ninh",
    "Bến Tre",
    "Trà Vinh",
    "Sóc Trăng",
    "Bạc Liêu",
    "huyện Gia Lộc",
    "huyện Tứ Kỳ",
    "huyện Nam Sách",
    "huyện Cẩm Giàng",
    "thành phố Hải Dương",
]
MEASURES = [
    "hỗ trợ vốn",
    "đặc thù",
    "khuyến khích",
    "giám sát chặt chẽ",
    "phân cấp mạnh hơn",
    "đào tạo lại",
    "ưu đãi thuế",
    "xã hội hóa",
    "đầu tư công",
    "thí điểm",
    "liên kết vùng",
    "công khai minh bạch",
]
PERIODS = ["2025–2030", "2026–2030", "2021–2025", "2030–2035", "2025–2035"]
YEARS = [str(year) for year in range(2026, 2036)]
PERCENTS = [str(p) for p in (5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 70, 75, 80, 90, 95)]
SLOTS: dict[str, list[str]] = {
    "subject": SUBJECTS,
    "place": PLACES,
    "measure": MEASURES,
    "period": PERIODS,
    "year": YEARS,
    "percent": PERCENTS,
    "percent2": PERCENTS,
}
_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _neighbours(letter: str) -> str:
    """Keys next to `letter` on a QWERTY keyboard (same row and the rows above and below)."""
    for row, keys in enumerate(_KEYBOARD):
        column = keys.find(letter)
        if column >= 0:
            near = [keys[c] for c in (column - 1, column + 1) if 0 <= c < len(keys)]
            for other in (row - 1, row + 1):
                if 0 <= other < len(_KEYBOARD):
                    near += _KEYBOARD[other][max(0, column - 1) : column + 1]
            return "".join(near)
    return "aeiou"


@dataclass(frozen=True, slots=True)
class FormulaicComment:
    comment_id: int
    text: str
    group: int
    paragraph: str


@dataclass(frozen=True, slots=True)
class _Distinct:
    template: int
    slots: tuple[tuple[str, str], ...]
    opener: int | None
    paragraph: str


def _slot_names(template: tuple[str, ...]) -> list[str]:
    return [name for name in SLOTS if any("{" + name + "}" in clause for clause in template)]


def _clauses(distinct: _Distinct) -> list[str]:
    values = dict(distinct.slots)
    return [clause.format(**values) for clause in TEMPLATES[distinct.template]]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _render(distinct: _Distinct, *, swap: bool = False, opener: int | None = None) -> str:
    clauses = _clauses(distinct)
    if swap and len(clauses) == 2:
        clauses = [clauses[1], clauses[0]]
    body = ", ".join(clauses)
    if opener is None:
        return _capitalize(body) + "."
    return f"{OPENERS[opener]} {body}."


def _typo(rng: random.Random, text: str) -> str:
    """One slip of the finger in a word of three letters or more."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 3]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    letters = [k for k, ch in enumerate(word) if ch.isalpha()]
    k = rng.choice(letters[1:]) if len(letters) > 1 else letters[0]
    kind = rng.randrange(4)
    if kind == 0:  # a letter dropped
        word = word[:k] + word[k + 1 :]
    elif kind == 1:  # a letter doubled
        word = word[:k] + word[k] + word[k:]
    elif kind == 2 and k + 1 < len(word) and word[k + 1].isalpha():  # two letters swapped
        word = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    else:  # a neighbouring key
        base = strip_diacritics(word[k]).lower()
        word = word[:k] + rng.choice(_neighbours(base)) + word[k + 1 :]
    words[i] = word
    return " ".join(words)


def _variant(rng: random.Random, distinct: _Distinct) -> str:
    """An exact copy, or the comment retyped with one to three edits."""
    if rng.random() < 0.3:
        return _render(distinct, opener=distinct.opener)
    edits = set(
        rng.sample(
            ("accents", "punct", "case", "filler", "typo", "swap", "opener"), k=rng.randint(1, 3)
        )
    )
    opener = distinct.opener
    if "opener" in edits:
        opener = rng.randrange(len(OPENERS)) if opener is None else None
    text = _render(distinct, swap="swap" in edits, opener=opener)
    if "filler" in edits:
        if rng.random() < 0.5:
            text = f"{rng.choice(FILLERS_BEFORE)} {text[0].lower()}{text[1:]}"
        else:
            text = f"{text} {rng.choice(FILLERS_AFTER)}"
    if "typo" in edits:
        text = _typo(rng, text)
    if "punct" in edits:
        style = rng.randrange(3)
        if style == 0:
            text = text.replace(",", "").replace(".", "").replace(":", "")
        elif style == 1:
            text = text.replace(", ", " - ").rstrip(".") + "!!"
        else:
            text = "- " + text.replace(",", " ,").replace("%", " %")
    if "accents" in edits:
        text = strip_diacritics(text)
    if "case" in edits:
        text = text.upper() if rng.random() < 0.5 else text.lower()
    return text


def _fresh(rng: random.Random) -> _Distinct:
    template = rng.randrange(len(TEMPLATES))
    values = []
    for name in _slot_names(TEMPLATES[template]):
        values.append((name, rng.choice(SLOTS[name])))
    opener = rng.randrange(len(OPENERS)) if rng.random() < 0.4 else None
    return _Distinct(template, tuple(values), opener, rng.choice(PARAGRAPHS))


def _sibling(rng: random.Random, of: _Distinct) -> _Distinct:
    """Same template, same opener, one slot changed: a different proposal."""
    values = dict(of.slots)
    name = rng.choice(sorted(values))
    values[name] = rng.choice([v for v in SLOTS[name] if v != values[name]])
    return _Distinct(of.template, tuple(values.items()), of.opener, of.paragraph)


def comment_and_sibling(seed: int) -> tuple[str, str]:
    """A distinct comment and a sibling (same template and opener, one slot changed), as
    typed the first time: the near-miss an editor must see apart."""
    rng = random.Random(seed)
    distinct = _fresh(rng)
    return _render(distinct, opener=distinct.opener), _render(
        _sibling(rng, distinct), opener=distinct.opener
    )


def _group_sizes(rng: random.Random, budget: int) -> Iterator[int]:
    """Many comments nobody repeated, many small groups, a few copy campaigns."""
    cap = max(2, min(3000, budget // 50))
    while budget > 0:
        size = 1 if rng.random() < 0.35 else min(cap, max(2, int(rng.paretovariate(1.3) * 2)))
        size = min(size, budget)
        budget -= size
        yield size


def generate_formulaic(
    n: int, *, seed: int = 0, sibling_share: float = 0.5
) -> list[FormulaicComment]:
    """`n` comments in arrival order, ids 1..n. About `sibling_share` of the distinct comments
    are siblings (one slot changed) of an earlier distinct comment."""
    rng = random.Random(seed)
    distincts: list[_Distinct] = []
    seen: set[str] = set()
    pending: list[tuple[str, int, str]] = []
    for size in _group_sizes(rng, n):
        while True:
            if distincts and rng.random() < sibling_share:
                candidate = _sibling(rng, rng.choice(distincts[-200:]))
            else:
                candidate = _fresh(rng)
            key = normalize_comment(", ".join(_clauses(candidate)))
            if key not in seen:
                break
        seen.add(key)
        group = len(distincts)
        distincts.append(candidate)
        for _ in range(size):
            pending.append((_variant(rng, candidate), group, candidate.paragraph))
    rng.shuffle(pending)
    return [
        FormulaicComment(comment_id=i, text=text, group=group, paragraph=paragraph)
        for i, (text, group, paragraph) in enumerate(pending, start=1)
    ]
