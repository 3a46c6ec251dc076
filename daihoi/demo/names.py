"""Plausible Vietnamese names, places and attributes for the demo province. Pure data and a
seeded generator; no Django import."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

# Family names with rough shares in the north of Vietnam (percent).
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 36.0), ("Trần", 10.5), ("Lê", 8.5), ("Phạm", 7.5), ("Vũ", 4.5),
    ("Hoàng", 4.0), ("Phan", 3.0), ("Đặng", 2.2), ("Bùi", 2.2), ("Đỗ", 2.0),
    ("Ngô", 1.5), ("Dương", 1.2), ("Đinh", 1.2), ("Đào", 1.2), ("Hồ", 1.0),
    ("Trịnh", 1.0), ("Lương", 0.8), ("Đoàn", 0.8), ("Mạc", 0.7), ("Nhữ", 0.5),
    ("Phùng", 0.6), ("Cao", 0.6), ("Tạ", 0.5), ("Lý", 0.5), ("Võ", 0.5),
    ("Huỳnh", 0.3), ("Vương", 0.4), ("Tô", 0.4), ("Lưu", 0.4), ("Chu", 0.4),
    ("Hà", 0.5), ("Thái", 0.3), ("Quách", 0.2), ("Khúc", 0.3), ("Mai", 0.4),
)  # fmt: skip

MIDDLE_MALE: tuple[tuple[str, float], ...] = (
    ("Văn", 40), ("Đức", 9), ("Minh", 7), ("Quang", 6), ("Hữu", 6), ("Xuân", 5),
    ("Ngọc", 4), ("Thanh", 4), ("Mạnh", 3), ("Công", 4), ("Đình", 5), ("Duy", 3),
    ("Trung", 2), ("Tiến", 2), ("Anh", 2), ("Thế", 2), ("Bá", 2),
)  # fmt: skip
MIDDLE_FEMALE: tuple[tuple[str, float], ...] = (
    ("Thị", 55), ("Thu", 6), ("Ngọc", 5), ("Thanh", 5), ("Minh", 3), ("Hồng", 4),
    ("Phương", 3), ("Thùy", 3), ("Kim", 3), ("Mai", 2), ("Diệu", 2), ("Bích", 2),
    ("Hải", 2), ("Khánh", 2), ("Lan", 1),
)  # fmt: skip

GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Cường", "Hưng", "Sơn",
    "Thành", "Trung", "Hiếu", "Quân", "Đức", "Minh", "Tùng", "Bình", "Phong", "Việt",
    "Khánh", "Hoàng", "Huy", "Lâm", "Toàn", "Tiến", "Đạt", "Kiên", "Thịnh", "Quang",
    "Vinh", "Tài", "Lợi", "Phúc", "Hòa", "An", "Hậu", "Chiến", "Giang", "Tâm",
    "Thái", "Tú", "Hòa", "Thuận", "Nghĩa", "Trường", "Duy", "Bảo", "Khoa", "Đông",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hương", "Lan", "Hoa", "Huyền", "Hằng", "Thảo", "Trang", "Linh", "Ngọc", "Mai",
    "Nhung", "Hạnh", "Thủy", "Yến", "Loan", "Hà", "Phương", "Dung", "Oanh", "Hiền",
    "Liên", "Nga", "Thu", "Vân", "Anh", "Giang", "Hồng", "Hòa", "Lệ", "Minh",
    "Tâm", "Xuân", "Quỳnh", "Nhàn", "Huệ", "Thơm", "Lý", "Chi", "Ngân", "Duyên",
)  # fmt: skip

ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("Kinh", 99.2), ("Sán Dìu", 0.3), ("Tày", 0.15), ("Mường", 0.15), ("Nùng", 0.1),
    ("Hoa", 0.1),
)  # fmt: skip

# Syllables of commune and village names in the Red River delta.
PLACE_SYLLABLES = (
    "An", "Bình", "Hòa", "Hưng", "Thịnh", "Phú", "Tân", "Đông", "Tây", "Nam",
    "Bắc", "Hồng", "Quang", "Minh", "Đức", "Thành", "Lạc", "Long", "Phúc", "Thái",
    "Cẩm", "Hợp", "Tiến", "Kim", "Ngọc", "Vĩnh", "Hiệp", "Thượng", "Đại", "Liên",
    "Quyết", "Thắng", "Cộng", "Hoà", "Đồng", "Lâm", "Sơn", "Hà", "Thanh", "Trung",
    "Nghĩa", "Lợi", "Xuân", "Yên", "Gia", "Văn", "Tứ", "Kỳ", "Lãng", "Quốc",
)  # fmt: skip

# Wards of the city of Hai Duong.
CITY_WARDS = (
    "Trần Phú", "Trần Hưng Đạo", "Quang Trung", "Nguyễn Trãi", "Phạm Ngũ Lão",
    "Lê Thanh Nghị", "Bình Hàn", "Cẩm Thượng", "Hải Tân", "Ngọc Châu", "Nhị Châu",
    "Thanh Bình", "Tân Bình", "Tứ Minh", "Việt Hòa", "Tân Hưng", "Thạch Khôi",
    "Nam Đồng", "Ái Quốc", "Hải Tân Bắc", "Trần Hưng Đạo Nam",
)  # fmt: skip

PROVINCE_AGENCIES = (
    "Đảng bộ Văn phòng Tỉnh ủy",
    "Đảng bộ Văn phòng Ủy ban nhân dân tỉnh",
    "Chi bộ Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Đảng bộ Sở Y tế",
    "Đảng bộ Sở Giáo dục và Đào tạo",
    "Chi bộ Sở Tài chính",
    "Chi bộ Sở Kế hoạch và Đầu tư",
    "Chi bộ Sở Tư pháp",
    "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn",
    "Chi bộ Sở Công Thương",
    "Chi bộ Sở Xây dựng",
    "Đảng bộ Sở Giao thông vận tải",
    "Chi bộ Sở Tài nguyên và Môi trường",
    "Chi bộ Sở Nội vụ",
    "Chi bộ Sở Thông tin và Truyền thông",
    "Đảng bộ Sở Lao động - Thương binh và Xã hội",
    "Đảng bộ Sở Văn hóa, Thể thao và Du lịch",
    "Chi bộ Sở Khoa học và Công nghệ",
    "Chi bộ Thanh tra tỉnh",
    "Chi bộ Ban Dân tộc tỉnh",
    "Đảng bộ Bệnh viện Đa khoa tỉnh",
    "Đảng bộ Bệnh viện Nhi Hải Dương",
    "Chi bộ Bệnh viện Phục hồi chức năng",
    "Đảng bộ Trường Đại học Hải Dương",
    "Đảng bộ Trường Cao đẳng Hải Dương",
    "Chi bộ Trường Chính trị tỉnh",
    "Chi bộ Báo Hải Dương",
    "Đảng bộ Đài Phát thanh và Truyền hình tỉnh",
    "Chi bộ Cục Thống kê tỉnh",
    "Đảng bộ Cục Thuế tỉnh",
    "Chi bộ Kho bạc Nhà nước tỉnh",
    "Đảng bộ Bảo hiểm xã hội tỉnh",
    "Chi bộ Viện Kiểm sát nhân dân tỉnh",
    "Chi bộ Tòa án nhân dân tỉnh",
    "Chi bộ Cục Thi hành án dân sự tỉnh",
    "Chi bộ Liên đoàn Lao động tỉnh",
    "Chi bộ Hội Nông dân tỉnh",
    "Chi bộ Tỉnh đoàn",
    "Chi bộ Hội Liên hiệp Phụ nữ tỉnh",
    "Chi bộ Ủy ban Mặt trận Tổ quốc tỉnh",
    "Đảng bộ Công ty Điện lực Hải Dương",
    "Đảng bộ Công ty cổ phần Kinh doanh nước sạch Hải Dương",
    "Chi bộ Công ty TNHH MTV Khai thác công trình thủy lợi",
    "Đảng bộ Ngân hàng Nông nghiệp chi nhánh Hải Dương",
    "Chi bộ Ngân hàng Nhà nước chi nhánh tỉnh",
    "Chi bộ Quỹ Đầu tư phát triển tỉnh",
    "Đảng bộ Công ty cổ phần Xây dựng Hải Dương",
    "Chi bộ Công ty cổ phần Bánh đậu xanh Rồng Vàng",
    "Đảng bộ Nhà máy Nhiệt điện Phả Lại",
    "Chi bộ Công ty cổ phần Sứ Hải Dương",
)

DISTRICT_AGENCIES = (
    "Đảng bộ Cơ quan Ủy ban nhân dân", "Chi bộ Cơ quan Mặt trận và các đoàn thể",
    "Chi bộ Cơ quan các Ban Đảng", "Đảng bộ Quân sự", "Chi bộ Trung tâm Y tế",
    "Chi bộ Kho bạc Nhà nước", "Chi bộ Chi cục Thuế", "Chi bộ Viện Kiểm sát nhân dân",
    "Chi bộ Tòa án nhân dân", "Chi bộ Chi cục Thi hành án dân sự", "Chi bộ Bảo hiểm xã hội",
    "Chi bộ Ngân hàng Nông nghiệp chi nhánh", "Chi bộ Trung tâm Giáo dục nghề nghiệp",
    "Chi bộ Bệnh viện Đa khoa", "Chi bộ Trung tâm Văn hóa, Thông tin và Thể thao",
)  # fmt: skip

SCHOOL_KINDS = ("Trường THPT", "Trường THCS", "Trường Tiểu học")
ENTERPRISE_KINDS = (
    "Công ty cổ phần", "Công ty TNHH", "Hợp tác xã Dịch vụ nông nghiệp", "Công ty cổ phần May",
)  # fmt: skip
ENTERPRISE_WORDS = (
    "Thành Đông", "Hồng Hà", "Sao Đỏ", "Minh Phát", "Phúc Hưng", "Đông Á", "Thái Bình Dương",
    "Việt Hưng", "An Phát", "Hải Hà", "Kim Long", "Tân Việt", "Hòa Bình", "Đại Phong",
)  # fmt: skip

DEPARTMENTS = (
    "Văn phòng", "Phòng Tổ chức - Hành chính", "Phòng Kế hoạch - Tài chính",
    "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Thanh tra", "Phòng Kỹ thuật",
    "Khối Tham mưu", "Khối Chuyên môn", "Phân xưởng sản xuất", "Đội Kinh doanh",
)  # fmt: skip


def weighted(items: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    names = [n for n, _w in items]
    cumulative: list[float] = []
    total = 0.0
    for _n, weight in items:
        total += weight
        cumulative.append(total)
    return names, cumulative


@dataclass(frozen=True)
class PersonData:
    full_name: str
    gender: str
    birth_date: datetime.date
    ethnicity: str
    education: str
    political_theory: str
    date_joined: datetime.date
    status: str


class PeopleGenerator:
    """Deterministic people for a seeded `random.Random`."""

    LAST_JOIN = datetime.date(2024, 6, 30)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._family = weighted(FAMILY_NAMES)
        self._middle = {"male": weighted(MIDDLE_MALE), "female": weighted(MIDDLE_FEMALE)}
        self._ethnicity = weighted(ETHNICITIES)

    def _pick(self, table: tuple[list[str], list[float]]) -> str:
        names, cumulative = table
        return self.rng.choices(names, cum_weights=cumulative, k=1)[0]

    def name(self, gender: str) -> str:
        given = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
        return (
            f"{self._pick(self._family)} {self._pick(self._middle[gender])} "
            f"{self.rng.choice(given)}"
        )

    def person(self, *, office: bool) -> PersonData:
        """One member; `office` members (agencies, schools) are younger and better schooled."""
        rng = self.rng
        gender = "male" if rng.random() < 0.6 else "female"
        mode = 1980 if office else 1968
        year = min(2003, max(1945, round(rng.triangular(1945, 2003, mode))))
        birth = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        adult = birth.replace(year=birth.year + 18)
        latest = min(self.LAST_JOIN, adult + datetime.timedelta(days=365 * 30))
        joined = datetime.date.fromordinal(rng.randint(adult.toordinal(), latest.toordinal()))
        roll = rng.random()
        if office:
            education = (
                "university" if roll < 0.62 else "master" if roll < 0.85 else "college"
                if roll < 0.93 else "doctorate" if roll < 0.95 else "vocational"
            )  # fmt: skip
        else:
            education = (
                "secondary" if roll < 0.55 else "vocational" if roll < 0.7 else "college"
                if roll < 0.8 else "university" if roll < 0.97 else "master"
            )  # fmt: skip
        roll = rng.random()
        theory = (
            "none" if roll < 0.2 else "elementary" if roll < 0.72 else "intermediate"
            if roll < 0.94 else "advanced"
        )  # fmt: skip
        roll = rng.random()
        if roll < 0.008:
            status = "deceased"
        elif roll < 0.012:
            status = "suspended"
        elif roll < 0.0125:
            status = "prosecuted"
        elif roll < 0.015:
            status = "transferred_out"
        elif year < 1958 and roll < 0.3:
            status = "retired"
        else:
            status = "active"
        return PersonData(
            full_name=self.name(gender),
            gender=gender,
            birth_date=birth,
            ethnicity=self._pick(self._ethnicity),
            education=education,
            political_theory=theory,
            date_joined=joined,
            status=status,
        )

    def place(self, taken: set[str]) -> str:
        """A two-syllable place name not in `taken` (which it extends)."""
        while True:
            first, second = self.rng.sample(PLACE_SYLLABLES, 2)
            name = f"{first} {second}"
            if name not in taken:
                taken.add(name)
                return name
