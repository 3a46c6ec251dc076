"""Deterministic generator of Vietnamese comments on a draft political report.

Comments are built from sentence templates and per-theme phrase banks. Some comments are
unique (``family is None``); the others belong to a planted *family*: copies and variants of
one base comment that are reworded (synonym swaps, a phrase added or removed), re-punctuated,
typed without diacritics or in another case. ``family`` is the ground truth the near-duplicate
grouping is measured against.

Unique comments are guaranteed distinct after normalization (an accidental exact repeat would
otherwise be a ground-truth error), and they mention a place and a figure, as real comments do,
so that two unique comments rarely say nearly the same thing.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from daihoi.consultation.synthesis import normalize_comment

PARAGRAPHS = [f"bao-cao-chinh-tri/{part}" for part in ("I", "II", "III", "IV", "V", "VI")]

THEMES: dict[str, dict[str, list[str]]] = {
    "kinh tế": {
        "subject": [
            "mô hình tăng trưởng",
            "kinh tế tư nhân",
            "thu hút đầu tư nước ngoài",
            "doanh nghiệp nhỏ và vừa",
            "hạ tầng giao thông",
            "thị trường bất động sản",
            "xuất khẩu nông sản",
            "khu công nghiệp",
            "kinh tế tập thể và hợp tác xã",
            "nguồn vốn tín dụng",
            "công nghiệp hỗ trợ",
            "du lịch địa phương",
        ],
        "action": [
            "tháo gỡ vướng mắc cho",
            "có cơ chế đặc thù cho",
            "ưu tiên nguồn lực cho",
            "đánh giá thực chất hơn về",
            "bổ sung chỉ tiêu cụ thể về",
            "tập trung phát triển",
        ],
        "goal": [
            "để đạt mục tiêu tăng trưởng hai con số",
            "nhằm nâng cao sức cạnh tranh",
            "để thu nhập người dân tăng lên",
            "nhằm khơi thông các nguồn lực",
            "để giảm chi phí cho doanh nghiệp",
            "nhằm phát triển bền vững",
        ],
    },
    "chuyển đổi số": {
        "subject": [
            "chuyển đổi số",
            "chính quyền số",
            "dữ liệu dân cư",
            "dịch vụ công trực tuyến",
            "hạ tầng viễn thông ở vùng sâu",
            "kỹ năng số cho người dân",
            "an ninh mạng",
            "thanh toán không dùng tiền mặt",
            "trí tuệ nhân tạo",
            "kinh tế số",
            "chữ ký số",
            "sổ tay đảng viên điện tử",
        ],
        "action": [
            "đẩy mạnh",
            "đầu tư đồng bộ cho",
            "có lộ trình rõ ràng cho",
            "đào tạo cán bộ về",
            "làm rõ trách nhiệm người đứng đầu về",
            "phổ cập",
        ],
        "goal": [
            "để người dân không phải đi lại nhiều lần",
            "nhằm giảm thủ tục giấy tờ",
            "để khoảng cách số giữa thành thị và nông thôn được thu hẹp",
            "nhằm bảo đảm an toàn thông tin",
            "để quản lý minh bạch hơn",
            "nhằm tiết kiệm thời gian và chi phí",
        ],
    },
    "xây dựng Đảng": {
        "subject": [
            "công tác cán bộ",
            "sinh hoạt chi bộ",
            "công tác phát triển đảng viên",
            "tự phê bình và phê bình",
            "nêu gương của người đứng đầu",
            "đảng viên trẻ",
            "tổ chức cơ sở đảng",
            "công tác kiểm tra giám sát",
            "quy hoạch cán bộ",
            "đánh giá xếp loại đảng viên",
            "công tác dân vận",
            "bồi dưỡng lý luận chính trị",
        ],
        "action": [
            "nâng cao chất lượng",
            "đổi mới",
            "siết chặt kỷ luật trong",
            "cụ thể hóa hơn nữa",
            "tăng cường",
            "có tiêu chí định lượng cho",
        ],
        "goal": [
            "để Đảng thật sự trong sạch vững mạnh",
            "nhằm củng cố niềm tin của nhân dân",
            "để chọn đúng người có đức có tài",
            "nhằm tránh hình thức",
            "để phát huy vai trò hạt nhân lãnh đạo",
            "nhằm chống suy thoái tư tưởng",
        ],
    },
    "phòng chống tham nhũng": {
        "subject": [
            "phòng chống tham nhũng tiêu cực",
            "kiểm soát tài sản thu nhập",
            "thu hồi tài sản tham nhũng",
            "lợi ích nhóm",
            "đấu thầu mua sắm công",
            "quản lý đất đai",
            "cơ chế bảo vệ người tố cáo",
            "xử lý cán bộ sai phạm",
            "minh bạch ngân sách",
            "lãng phí trong đầu tư công",
            "chạy chức chạy quyền",
            "giám sát của nhân dân",
        ],
        "action": [
            "kiên quyết xử lý",
            "hoàn thiện cơ chế về",
            "công khai kết quả về",
            "làm mạnh mẽ hơn nữa việc",
            "có chế tài nghiêm đối với",
            "tiếp tục đẩy mạnh",
        ],
        "goal": [
            "không có vùng cấm không có ngoại lệ",
            "để củng cố lòng tin của nhân dân",
            "nhằm ngăn chặn từ sớm từ xa",
            "để cán bộ không dám không thể không muốn tham nhũng",
            "nhằm chống lãng phí",
            "để giữ nghiêm kỷ cương",
        ],
    },
    "giáo dục": {
        "subject": [
            "đổi mới giáo dục phổ thông",
            "đội ngũ giáo viên",
            "chương trình sách giáo khoa",
            "giáo dục nghề nghiệp",
            "trường học vùng khó khăn",
            "học phí",
            "đào tạo nguồn nhân lực chất lượng cao",
            "giáo dục đạo đức",
            "dạy thêm học thêm",
            "ngoại ngữ cho học sinh",
            "cơ sở vật chất trường học",
            "tự chủ đại học",
        ],
        "action": [
            "quan tâm hơn đến",
            "có chính sách đãi ngộ về",
            "rà soát lại",
            "dành ngân sách thỏa đáng cho",
            "chấn chỉnh",
            "đầu tư trọng điểm cho",
        ],
        "goal": [
            "để con em vùng sâu được học tập tốt hơn",
            "nhằm giảm áp lực cho học sinh",
            "để giáo viên yên tâm công tác",
            "nhằm đáp ứng yêu cầu công nghiệp hóa",
            "để phát triển con người toàn diện",
            "nhằm nâng cao dân trí",
        ],
    },
    "y tế": {
        "subject": [
            "y tế cơ sở",
            "bảo hiểm y tế",
            "trạm y tế xã",
            "giá thuốc",
            "nhân lực y tế",
            "chăm sóc người cao tuổi",
            "khám chữa bệnh từ xa",
            "an toàn thực phẩm",
            "y tế dự phòng",
            "bệnh viện tuyến huyện",
            "chăm sóc sức khỏe ban đầu",
            "đấu thầu thuốc",
        ],
        "action": [
            "củng cố",
            "tăng đầu tư cho",
            "có cơ chế giữ chân",
            "mở rộng phạm vi",
            "kiểm soát chặt chẽ",
            "ưu tiên phát triển",
        ],
        "goal": [
            "để người dân được chăm sóc ngay tại chỗ",
            "nhằm giảm quá tải tuyến trên",
            "để người nghèo không bị bỏ lại phía sau",
            "nhằm nâng cao tuổi thọ",
            "để chi phí khám chữa bệnh giảm",
            "nhằm phòng bệnh từ sớm",
        ],
    },
    "môi trường": {
        "subject": [
            "ô nhiễm môi trường",
            "rác thải nhựa",
            "biến đổi khí hậu",
            "sạt lở bờ sông",
            "xâm nhập mặn",
            "nước sạch nông thôn",
            "rừng phòng hộ",
            "khai thác cát",
            "năng lượng tái tạo",
            "xử lý nước thải khu công nghiệp",
            "không khí đô thị",
            "làng nghề gây ô nhiễm",
        ],
        "action": [
            "xử lý dứt điểm",
            "có giải pháp căn cơ về",
            "tăng chế tài đối với",
            "quy hoạch lại",
            "giám sát chặt",
            "huy động xã hội hóa cho",
        ],
        "goal": [
            "để bảo vệ sức khỏe người dân",
            "nhằm phát triển xanh",
            "để đạt mục tiêu phát thải ròng bằng không",
            "nhằm thích ứng với thiên tai",
            "để giữ gìn cảnh quan cho thế hệ sau",
            "nhằm bảo đảm sinh kế",
        ],
    },
    "cải cách hành chính": {
        "subject": [
            "thủ tục hành chính",
            "bộ máy sau sáp nhập",
            "chính quyền hai cấp",
            "tinh giản biên chế",
            "phân cấp phân quyền",
            "bộ phận một cửa",
            "cán bộ cấp xã",
            "chế độ cho người dôi dư",
            "trụ sở dôi dư sau sắp xếp",
            "thẩm quyền của cấp xã",
            "giải quyết đơn thư",
            "đạo đức công vụ",
        ],
        "action": [
            "cắt giảm mạnh",
            "sắp xếp hợp lý",
            "quy định rõ",
            "có chính sách thỏa đáng về",
            "đánh giá tác động của",
            "đơn giản hóa",
        ],
        "goal": [
            "để bộ máy tinh gọn hoạt động hiệu lực hiệu quả",
            "nhằm phục vụ người dân tốt hơn",
            "để tránh chồng chéo",
            "nhằm tiết kiệm ngân sách",
            "để cán bộ yên tâm công tác",
            "nhằm rút ngắn thời gian giải quyết hồ sơ",
        ],
    },
}

OPENERS = [
    "Tôi đề nghị",
    "Đề nghị dự thảo",
    "Kiến nghị Trung ương",
    "Cần phải",
    "Theo tôi nên",
    "Báo cáo chính trị cần",
    "Đề nghị bổ sung nội dung",
    "Chúng tôi mong muốn",
    "Nhân dân mong Đảng",
    "Dự thảo nên",
    "Tôi kiến nghị cần",
    "Văn kiện cần",
]
OBSERVATIONS = [
    "Thực tế ở {place} cho thấy {subject} còn nhiều bất cập",
    "Tại {place} {subject} vẫn còn hạn chế",
    "Ở {place} người dân phản ánh nhiều về {subject}",
    "Qua {number} năm thực hiện nghị quyết {subject} ở {place} chưa đạt yêu cầu",
    "Địa phương {place} có khoảng {number} phần trăm ý kiến quan tâm đến {subject}",
    "Trong nhiệm kỳ qua {subject} tại {place} đã có chuyển biến nhưng chưa vững chắc",
]
CLOSINGS = [
    "Xin cảm ơn",
    "Mong được tiếp thu",
    "Đây là vấn đề cấp bách",
    "Rất mong Ban soạn thảo quan tâm",
    "Đề nghị nghiên cứu",
    "Đó là nguyện vọng chính đáng của cử tri",
]
PLACES = [
    "Hải Dương",
    "Hải Phòng",
    "Thái Bình",
    "Nam Định",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Quảng Trị",
    "Thừa Thiên Huế",
    "Đà Nẵng",
    "Quảng Nam",
    "Quảng Ngãi",
    "Bình Định",
    "Phú Yên",
    "Khánh Hòa",
    "Gia Lai",
    "Đắk Lắk",
    "Lâm Đồng",
    "Đồng Nai",
    "Bình Dương",
    "Tây Ninh",
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Vĩnh Long",
    "Trà Vinh",
    "Cần Thơ",
    "Sóc Trăng",
    "An Giang",
    "Kiên Giang",
    "Cà Mau",
    "Bạc Liêu",
    "Lào Cai",
    "Yên Bái",
    "Hà Giang",
    "Cao Bằng",
    "Lạng Sơn",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Thái Nguyên",
    "Bắc Giang",
    "Bắc Ninh",
    "Hưng Yên",
    "Hà Nam",
    "Ninh Bình",
    "Thanh Hóa",
    "Phú Thọ",
    "Vĩnh Phúc",
    "Tuyên Quang",
    "xã miền núi",
    "phường ven đô",
    "thị trấn",
    "vùng đồng bào dân tộc",
    "khu dân cư số",
    "chi bộ thôn",
    "huyện đảo",
]
GENERIC = [
    "Tôi hoàn toàn nhất trí với dự thảo Báo cáo chính trị",
    "Nhất trí cao với nội dung dự thảo văn kiện",
    "Dự thảo được chuẩn bị công phu, kỹ lưỡng, tôi đồng ý",
    "Tôi đồng tình với các mục tiêu mà dự thảo đã nêu",
    "Văn kiện viết ngắn gọn, dễ hiểu, sát thực tế, tôi thống nhất",
    "Tôi nhất trí với đánh giá kết quả nhiệm kỳ qua trong dự thảo",
    "Đề nghị giữ nguyên như dự thảo, tôi không có ý kiến bổ sung",
    "Tôi tán thành phương hướng nhiệm vụ nhiệm kỳ tới",
]
SYNONYMS: dict[str, list[str]] = {
    "đề nghị": ["kiến nghị", "đề xuất"],
    "cần": ["phải", "nên"],
    "nâng cao": ["tăng cường", "cải thiện"],
    "người dân": ["nhân dân", "bà con"],
    "nhất trí": ["đồng ý", "tán thành"],
    "dự thảo": ["văn kiện", "bản dự thảo"],
    "cán bộ": ["cán bộ công chức", "công chức"],
    "còn nhiều bất cập": ["còn nhiều hạn chế", "còn yếu kém"],
    "hạn chế": ["bất cập", "yếu kém"],
    "để": ["nhằm", "để cho"],
    "nhằm": ["để", "với mục đích"],
    "tăng cường": ["đẩy mạnh", "nâng cao"],
    "đẩy mạnh": ["tăng cường", "thúc đẩy"],
    "quan tâm": ["chú trọng", "chú ý"],
    "tôi": ["bản thân tôi", "cá nhân tôi"],
    "nhiều": ["rất nhiều", "khá nhiều"],
}
PREFIXES = [
    "Theo tôi,",
    "Ý kiến của tôi:",
    "Góp ý:",
    "Tôi thấy",
    "Thưa Ban soạn thảo,",
    "Qua nghiên cứu dự thảo,",
    "Là đảng viên lâu năm,",
]
SUFFIXES = [
    "Xin cảm ơn.",
    "Rất mong được tiếp thu.",
    "Đây là vấn đề rất quan trọng.",
    "Mong được xem xét.",
    "Trân trọng.",
]


@dataclass(frozen=True, slots=True)
class GeneratedComment:
    comment_id: int
    text: str
    family: int | None
    paragraph: str


def strip_diacritics(text: str) -> str:
    """Type `text` without diacritics but keep its case, as on a keyboard without Telex."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _sentence(rng: random.Random, theme: dict[str, list[str]]) -> str:
    subject = rng.choice(theme["subject"])
    if rng.random() < 0.4:
        observation = rng.choice(OBSERVATIONS).format(
            place=rng.choice(PLACES), subject=subject, number=rng.randint(2, 95)
        )
        return f"{observation}, {rng.choice(OPENERS).lower()} {rng.choice(theme['action'])} "
    return (
        f"{rng.choice(OPENERS)} {rng.choice(theme['action'])} {subject} {rng.choice(theme['goal'])}"
    )


def _substantive_parts(rng: random.Random) -> list[str]:
    """Two to four clauses on one or two themes; a place and a figure make them specific."""
    names = rng.sample(sorted(THEMES), k=2)
    parts = []
    for i in range(rng.choice((2, 2, 3, 4))):
        theme = THEMES[names[0] if i == 0 or rng.random() < 0.6 else names[1]]
        parts.append(_sentence(rng, theme).strip())
    if not any(p for p in parts if any(place in p for place in PLACES)):
        parts.append(
            f"Ở {rng.choice(PLACES)} có {rng.randint(2, 950)} hộ dân đang chờ giải quyết việc này"
        )
    if rng.random() < 0.3:
        parts.append(rng.choice(CLOSINGS))
    return parts


def _join(parts: list[str]) -> str:
    return " ".join(p[0].upper() + p[1:] + "." for p in parts)


def _swap_synonym(rng: random.Random, text: str) -> str:
    lowered = text.lower()
    present = [word for word in SYNONYMS if f" {word} " in f" {lowered} "]
    if not present:
        return text
    word = rng.choice(present)
    start = f" {lowered} ".index(f" {word} ")
    return text[:start] + rng.choice(SYNONYMS[word]) + text[start + len(word) :]


def _repunctuate(rng: random.Random, text: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return text.replace(",", "").replace(".", "")
    if style == 1:
        return text.replace(". ", "; ").rstrip(".") + "!!"
    if style == 2:
        return text.replace(", ", " - ").replace(".", "...")
    return "- " + text.replace(".", " .").replace(",", " ,")


def _recase(rng: random.Random, text: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        return text.upper()
    if style == 1:
        return text.lower()
    return text.title()


def _variant(rng: random.Random, parts: list[str]) -> str:
    """One member of a family: an exact copy, or the base with one to three edits."""
    if rng.random() < 0.3:
        return _join(parts)
    parts = list(parts)
    edits = rng.sample(("swap", "add", "remove", "punct", "accents", "case"), k=rng.randint(1, 3))
    if "remove" in edits and len(parts) >= 3:
        del parts[rng.randrange(1, len(parts))]
    text = _join(parts)
    if "swap" in edits:
        for _ in range(rng.randint(1, 2)):
            text = _swap_synonym(rng, text)
    if "add" in edits:
        if rng.random() < 0.5:
            text = f"{rng.choice(PREFIXES)} {text[0].lower()}{text[1:]}"
        else:
            text = f"{text} {rng.choice(SUFFIXES)}"
    if "punct" in edits:
        text = _repunctuate(rng, text)
    if "accents" in edits:
        text = strip_diacritics(text)
    if "case" in edits:
        text = _recase(rng, text)
    return text


def _family_sizes(rng: random.Random, budget: int) -> Iterator[int]:
    """Heavy-tailed family sizes (Pareto), from pairs of friends to copy campaigns."""
    cap = max(2, min(5000, budget // 20))
    while budget > 0:
        size = min(cap, budget, max(2, int(rng.paretovariate(1.2) * 2)))
        budget -= size
        yield size


def generate_comments(
    n: int, *, seed: int = 0, unique_share: float = 0.45, generic_share: float = 0.1
) -> list[GeneratedComment]:
    """`n` comments in arrival order, ids 1..n, about `unique_share` of them unique.

    About `generic_share` are short generic approvals, one family per stock phrase; the rest
    are families of substantive comments.
    """
    rng = random.Random(seed)
    n_unique = int(n * unique_share)
    n_generic = int(n * generic_share)
    pending: list[tuple[str, int | None, str]] = []
    seen: set[str] = set()
    while len(pending) < n_unique:
        text = _join(_substantive_parts(rng))
        key = normalize_comment(text)
        if key not in seen:
            seen.add(key)
            pending.append((text, None, rng.choice(PARAGRAPHS)))
    family = 0
    for stock in GENERIC:
        for _ in range(n_generic // len(GENERIC)):
            pending.append((_variant(rng, [stock]), family, PARAGRAPHS[0]))
        family += 1
    for size in _family_sizes(rng, n - len(pending)):
        parts = _substantive_parts(rng)
        while normalize_comment(_join(parts)) in seen:
            parts = _substantive_parts(rng)
        seen.add(normalize_comment(_join(parts)))
        paragraph = rng.choice(PARAGRAPHS)
        for _ in range(size):
            pending.append((_variant(rng, parts), family, paragraph))
        family += 1
    rng.shuffle(pending)
    return [
        GeneratedComment(comment_id=i, text=text, family=fam, paragraph=para)
        for i, (text, fam, para) in enumerate(pending[:n], start=1)
    ]


def pairwise_precision_recall(
    families: Sequence[int | None], groups: Sequence[int]
) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against the planted families.

    Over all unordered pairs of comments: a pair is *true* when both comments carry the same
    family (``None`` is no family), *predicted* when both are in the same group (give every
    ungrouped comment a group of its own). Counted from the family x group contingency table
    in O(n), never pair by pair: a cell of c comments holds c(c-1)/2 pairs.
    """
    in_group: Counter[int] = Counter(groups)
    in_family: Counter[int] = Counter(f for f in families if f is not None)
    in_both: Counter[tuple[int, int]] = Counter(
        (f, g) for f, g in zip(families, groups, strict=True) if f is not None
    )
    true_positive = sum(c * (c - 1) // 2 for c in in_both.values())
    predicted = sum(c * (c - 1) // 2 for c in in_group.values())
    actual = sum(c * (c - 1) // 2 for c in in_family.values())
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    return precision, recall
