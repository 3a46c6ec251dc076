"""The demo draft political report of the province, and what the meetings said about it.

Plain data for `daihoi.demo.consultation`: the sections of the draft with their paragraphs,
and for each paragraph the points raised at cell and grassroots meetings (the first points of
a paragraph are raised often, the last ones rarely) and the amendments proposed to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TITLE = (
    "Dự thảo Báo cáo chính trị Đại hội đại biểu Đảng bộ tỉnh Hải Dương lần thứ XVIII, "
    "nhiệm kỳ 2025–2030"
)


@dataclass(frozen=True)
class Amendment:
    """A proposed rewording: `old` in the paragraph becomes `new`, for the reason `text`."""

    text: str
    old: str
    new: str


@dataclass(frozen=True)
class Passage:
    text: str
    points: tuple[str, ...] = ()
    amendments: tuple[Amendment, ...] = field(default=())


@dataclass(frozen=True)
class Chapter:
    title: str
    passages: tuple[Passage, ...]


CHAPTERS = (
    Chapter(
        "I. Kết quả thực hiện Nghị quyết Đại hội nhiệm kỳ 2020–2025",
        (
            Passage(
                "Nhiệm kỳ 2020–2025 diễn ra trong bối cảnh có nhiều khó khăn, thách thức: "
                "đại dịch COVID-19 kéo dài, giá nguyên vật liệu tăng cao, thị trường xuất khẩu "
                "thu hẹp. Phát huy truyền thống đoàn kết, Đảng bộ và Nhân dân tỉnh Hải Dương đã "
                "nỗ lực vượt qua khó khăn, hoàn thành và hoàn thành vượt mức 21/24 chỉ tiêu chủ "
                "yếu Nghị quyết Đại hội lần thứ XVII đề ra.",
                (
                    "Cần nêu rõ 3 chỉ tiêu chưa đạt là những chỉ tiêu nào, nguyên nhân chủ quan "
                    "và khách quan của từng chỉ tiêu để rút kinh nghiệm cho nhiệm kỳ tới.",
                    "Đánh giá kết quả còn thiên về liệt kê thành tích, chưa làm nổi bật những "
                    "dấu ấn riêng của tỉnh trong nhiệm kỳ qua.",
                    "Nên bổ sung đánh giá về công tác phòng, chống dịch COVID-19 và sự hy sinh "
                    "thầm lặng của lực lượng y tế, công an, quân đội ở cơ sở.",
                ),
            ),
            Passage(
                "Kinh tế tăng trưởng khá, tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) bình quân "
                "đạt 8,6%/năm; quy mô nền kinh tế năm 2025 ước đạt 185 nghìn tỷ đồng, GRDP bình "
                "quân đầu người đạt 95 triệu đồng. Cơ cấu kinh tế chuyển dịch đúng hướng, tỷ trọng "
                "công nghiệp – xây dựng chiếm 57%; thu ngân sách nhà nước vượt 25 nghìn tỷ đồng.",
                (
                    "Số liệu tăng trưởng GRDP và thu ngân sách cần được cập nhật theo số liệu "
                    "chính thức của Cục Thống kê trước khi trình Đại hội.",
                    "Cần so sánh các chỉ tiêu kinh tế với bình quân cả nước và các tỉnh vùng đồng "
                    "bằng sông Hồng để thấy rõ vị thế của tỉnh.",
                    "Đề nghị làm rõ tỷ trọng đóng góp của khu vực doanh nghiệp có vốn đầu tư nước "
                    "ngoài trong tăng trưởng, tránh phụ thuộc quá lớn vào khu vực này.",
                ),
                (
                    Amendment(
                        "Đề nghị ghi số liệu tăng trưởng chính xác đến hai chữ số thập phân như "
                        "báo cáo của Cục Thống kê.",
                        "bình quân đạt 8,6%/năm",
                        "bình quân đạt 8,62%/năm (theo số liệu của Cục Thống kê tỉnh)",
                    ),
                ),
            ),
            Passage(
                "Xây dựng nông thôn mới đạt nhiều kết quả nổi bật: 100% số xã đạt chuẩn nông thôn "
                "mới, 58 xã đạt chuẩn nông thôn mới nâng cao, 24 xã đạt chuẩn nông thôn mới kiểu "
                "mẫu; 8/12 đơn vị cấp huyện hoàn thành nhiệm vụ xây dựng nông thôn mới. Vùng vải "
                "thiều Thanh Hà, vùng cà rốt Cẩm Giàng được mở rộng, gắn với chỉ dẫn địa lý.",
                (
                    "Nông thôn mới đã đạt chuẩn nhưng tiêu chí môi trường, xử lý rác thải ở nhiều "
                    "xã chưa bền vững, báo cáo cần nêu rõ hạn chế này.",
                    "Đề nghị bổ sung đánh giá về thu nhập thực tế của nông dân, nhiều hộ trồng vải "
                    "vẫn gặp khó khăn về đầu ra khi được mùa.",
                    "Nên nêu tên các xã nông thôn mới kiểu mẫu tiêu biểu để các địa phương học "
                    "tập.",
                ),
            ),
            Passage(
                "Công tác xây dựng Đảng và hệ thống chính trị được chú trọng; tổ chức bộ máy được "
                "sắp xếp tinh gọn theo Nghị quyết số 18-NQ/TW; công tác kiểm tra, giám sát, phòng, "
                "chống tham nhũng, lãng phí, tiêu cực được đẩy mạnh. Tuy nhiên, năng lực lãnh đạo, "
                "sức chiến đấu của một số tổ chức cơ sở đảng còn hạn chế; chất lượng sinh hoạt chi "
                "bộ ở một số nơi chưa cao.",
                (
                    "Phần hạn chế còn chung chung, cần chỉ rõ địa phương, đơn vị nào sinh hoạt chi "
                    "bộ chưa có chất lượng và trách nhiệm của người đứng đầu.",
                    "Cần đánh giá tác động của việc sắp xếp bộ máy đến đội ngũ cán bộ cơ sở, nhất "
                    "là cán bộ không chuyên trách dôi dư sau sắp xếp.",
                ),
            ),
        ),
    ),
    Chapter(
        "II. Bối cảnh, mục tiêu nhiệm kỳ 2025–2030",
        (
            Passage(
                "Nhiệm kỳ 2025–2030 là giai đoạn cả nước bước vào kỷ nguyên vươn mình của dân "
                "tộc, thực hiện sắp xếp đơn vị hành chính và tổ chức chính quyền địa phương hai "
                "cấp. Cách mạng công nghiệp lần thứ tư, chuyển đổi số, chuyển đổi xanh vừa là thời "
                "cơ vừa là thách thức đối với một tỉnh công nghiệp như Hải Dương.",
                (
                    "Phần bối cảnh cần phân tích sâu hơn tác động của việc tổ chức chính quyền địa "
                    "phương hai cấp đến tổ chức đảng ở cơ sở.",
                    "Nên bổ sung bối cảnh biến đổi khí hậu, thiên tai bất thường ảnh hưởng đến sản "
                    "xuất nông nghiệp của tỉnh.",
                ),
            ),
            Passage(
                "Mục tiêu tổng quát: xây dựng Đảng bộ và hệ thống chính trị trong sạch, vững mạnh; "
                "phát huy sức mạnh đại đoàn kết toàn dân tộc; đổi mới mạnh mẽ mô hình tăng trưởng; "
                "phấn đấu đến năm 2030 Hải Dương trở thành tỉnh công nghiệp theo hướng hiện đại, "
                "là một trong những trung tâm phát triển của vùng đồng bằng sông Hồng.",
                (
                    "Mục tiêu trở thành tỉnh công nghiệp theo hướng hiện đại cần có tiêu chí cụ "
                    "thể để đo lường được vào cuối nhiệm kỳ.",
                    "Mục tiêu tổng quát nên nhấn mạnh yếu tố con người, nâng cao đời sống vật chất "
                    "và tinh thần của Nhân dân.",
                ),
                (
                    Amendment(
                        "Đề nghị thể hiện rõ hơn vị trí của tỉnh trong vùng Thủ đô.",
                        "là một trong những trung tâm phát triển của vùng đồng bằng sông Hồng",
                        "là một trong những trung tâm công nghiệp, dịch vụ, đô thị của vùng Thủ đô "
                        "và vùng đồng bằng sông Hồng",
                    ),
                ),
            ),
            Passage(
                "Các chỉ tiêu chủ yếu: tốc độ tăng GRDP bình quân 10%/năm trở lên; GRDP bình quân "
                "đầu người đến năm 2030 đạt 180 triệu đồng; tỷ lệ đô thị hóa đạt 55%; tỷ lệ lao "
                "động qua đào tạo có bằng cấp, chứng chỉ đạt 40%; kết nạp 12.000 đảng viên mới "
                "trong nhiệm kỳ.",
                (
                    "Chỉ tiêu tăng trưởng GRDP 10%/năm là rất cao so với thực tế nhiệm kỳ trước, "
                    "đề nghị cân nhắc tính khả thi.",
                    "Chỉ tiêu kết nạp 12.000 đảng viên mới cần tính đến việc khó kết nạp đảng viên "
                    "trong công nhân ở doanh nghiệp ngoài nhà nước.",
                    "Đề nghị bổ sung chỉ tiêu về tỷ lệ hộ nghèo và tỷ lệ người dân tham gia bảo "
                    "hiểm y tế.",
                    "Nên có chỉ tiêu về kinh tế số chiếm tỷ trọng bao nhiêu phần trăm GRDP.",
                ),
                (
                    Amendment(
                        "Đề nghị hạ chỉ tiêu tăng trưởng cho sát thực tế.",
                        "tốc độ tăng GRDP bình quân 10%/năm trở lên",
                        "tốc độ tăng GRDP bình quân từ 9%/năm trở lên",
                    ),
                    Amendment(
                        "Đề nghị bổ sung chỉ tiêu kinh tế số vào danh mục chỉ tiêu chủ yếu.",
                        "tỷ lệ đô thị hóa đạt 55%",
                        "tỷ lệ đô thị hóa đạt 55%; kinh tế số chiếm 25% GRDP",
                    ),
                ),
            ),
        ),
    ),
    Chapter(
        "III. Nhiệm vụ, giải pháp phát triển kinh tế",
        (
            Passage(
                "Tập trung phát triển công nghiệp công nghệ cao, công nghiệp hỗ trợ, công nghiệp "
                "điện tử; hoàn thiện hạ tầng các khu công nghiệp, cụm công nghiệp; ưu tiên thu hút "
                "các dự án có công nghệ hiện đại, thân thiện với môi trường, sử dụng ít lao động.",
                (
                    "Cần có giải pháp giải quyết việc làm cho người dân bị thu hồi đất nông nghiệp "
                    "để làm khu công nghiệp.",
                    "Đề nghị bổ sung giải pháp về nhà ở xã hội, nhà ở cho công nhân tại các khu "
                    "công nghiệp.",
                    "Cần kiểm soát chặt chẽ ô nhiễm môi trường tại các cụm công nghiệp xen kẽ khu "
                    "dân cư.",
                ),
            ),
            Passage(
                "Phát triển nông nghiệp hàng hóa, nông nghiệp hữu cơ, ứng dụng công nghệ cao; "
                "hình thành các vùng sản xuất tập trung gắn với chế biến và tiêu thụ; phát triển "
                "sản phẩm OCOP; khuyến khích tích tụ, tập trung ruộng đất.",
                (
                    "Cần có chính sách hỗ trợ cụ thể về vốn và đầu ra cho hợp tác xã nông nghiệp "
                    "và sản phẩm OCOP.",
                    "Tình trạng bỏ ruộng ở nhiều xã ngày càng nhiều, báo cáo cần có giải pháp tích "
                    "tụ ruộng đất khả thi hơn.",
                ),
            ),
            Passage(
                "Phát triển du lịch văn hóa, tâm linh gắn với Khu di tích quốc gia đặc biệt Côn "
                "Sơn – Kiếp Bạc, Phượng Sơn và các lễ hội truyền thống; đẩy mạnh thương mại, dịch "
                "vụ logistics, tài chính, ngân hàng.",
                (
                    "Du lịch Côn Sơn – Kiếp Bạc chủ yếu theo mùa lễ hội, cần giải pháp kéo dài "
                    "thời gian lưu trú của du khách.",
                    "Nên bổ sung phát triển du lịch nông thôn, du lịch trải nghiệm vườn vải Thanh "
                    "Hà.",
                ),
            ),
            Passage(
                "Đẩy mạnh chuyển đổi số, phát triển kinh tế số, xã hội số; hoàn thiện hạ tầng số, "
                "cơ sở dữ liệu dùng chung; nâng cao chất lượng dịch vụ công trực tuyến; cải thiện "
                "môi trường đầu tư kinh doanh, nâng cao chỉ số năng lực cạnh tranh cấp tỉnh.",
                (
                    "Chuyển đổi số ở cơ sở còn gặp khó khăn về hạ tầng và con người, nhất là người "
                    "cao tuổi chưa biết sử dụng dịch vụ công trực tuyến.",
                    "Đề nghị bổ sung giải pháp đào tạo kỹ năng số cho cán bộ cơ sở và đảng viên.",
                    "Cần bảo đảm an toàn, an ninh mạng khi triển khai cơ sở dữ liệu dùng chung.",
                ),
            ),
        ),
    ),
    Chapter(
        "IV. Xây dựng Đảng và hệ thống chính trị",
        (
            Passage(
                "Tăng cường xây dựng, chỉnh đốn Đảng về chính trị, tư tưởng, đạo đức; đổi mới nội "
                "dung, hình thức học tập, quán triệt nghị quyết; nâng cao chất lượng sinh hoạt chi "
                "bộ, nhất là sinh hoạt chuyên đề.",
                (
                    "Cần đổi mới nội dung sinh hoạt chi bộ, tránh hình thức, đơn điệu; chi bộ nên "
                    "được chủ động lựa chọn chuyên đề sát thực tế.",
                    "Sinh hoạt chi bộ ở khu dân cư chủ yếu là đảng viên cao tuổi, cần có giải pháp "
                    "thu hút đảng viên trẻ tham gia.",
                    "Đề nghị ứng dụng sổ tay đảng viên điện tử để giảm thủ tục giấy tờ trong sinh "
                    "hoạt chi bộ.",
                ),
            ),
            Passage(
                "Xây dựng đội ngũ cán bộ các cấp, nhất là cán bộ cấp chiến lược và người đứng đầu, "
                "đủ phẩm chất, năng lực, uy tín, ngang tầm nhiệm vụ; có cơ chế bảo vệ cán bộ dám "
                "nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích chung.",
                (
                    "Cần cụ thể hóa cơ chế bảo vệ cán bộ dám nghĩ, dám làm bằng quy định của Tỉnh "
                    "ủy, tránh tâm lý sợ sai, né tránh trách nhiệm.",
                    "Đề nghị bổ sung chính sách đối với cán bộ cơ sở sau sắp xếp, bảo đảm ổn định "
                    "tư tưởng.",
                    "Nên chú trọng đào tạo, bồi dưỡng cán bộ trẻ, cán bộ nữ, cán bộ là người ngoài "
                    "địa phương luân chuyển về.",
                ),
            ),
            Passage(
                "Đẩy mạnh công tác kiểm tra, giám sát và thi hành kỷ luật đảng; kiên quyết, kiên "
                "trì đấu tranh phòng, chống tham nhũng, lãng phí, tiêu cực; phát huy vai trò giám "
                "sát của Mặt trận Tổ quốc, các đoàn thể chính trị – xã hội và Nhân dân.",
                (
                    "Cần nhấn mạnh phòng, chống lãng phí trong quản lý đất đai, đầu tư công và tài "
                    "sản công dôi dư sau sắp xếp.",
                    "Đề nghị bổ sung nội dung kiểm tra, giám sát việc thực hiện kết luận sau thanh "
                    "tra, kiểm tra.",
                ),
            ),
        ),
    ),
    Chapter(
        "V. Văn hóa, xã hội, quốc phòng, an ninh",
        (
            Passage(
                "Phát triển toàn diện giáo dục và đào tạo, y tế, văn hóa; bảo đảm an sinh xã hội, "
                "chăm lo gia đình chính sách, người có công; giảm nghèo bền vững; xây dựng con "
                "người Hải Dương phát triển toàn diện.",
                (
                    "Tình trạng thiếu giáo viên mầm non, tiểu học ở nhiều xã cần được đưa vào báo "
                    "cáo kèm giải pháp tuyển dụng.",
                    "Đề nghị quan tâm hơn đến y tế cơ sở, nhiều trạm y tế xã thiếu bác sĩ và trang "
                    "thiết bị.",
                    "Cần có giải pháp phòng, chống tệ nạn xã hội, ma túy trong thanh thiếu niên.",
                ),
            ),
            Passage(
                "Giữ vững quốc phòng, an ninh, trật tự, an toàn xã hội; xây dựng khu vực phòng thủ "
                "tỉnh vững chắc; giải quyết kịp thời đơn thư, khiếu nại, tố cáo ngay từ cơ sở, "
                "không để phát sinh điểm nóng.",
                (
                    "Đề nghị bổ sung giải pháp phòng, chống tội phạm lừa đảo trên không gian mạng, "
                    "nhiều người dân đã bị thiệt hại.",
                    "Cần đánh giá rõ hơn tình hình khiếu kiện liên quan đến đất đai, giải phóng "
                    "mặt bằng.",
                ),
            ),
        ),
    ),
)

# Comments on the draft as a whole, most often the first ones.
GENERAL_POINTS = (
    "Chi bộ nhất trí cao với bố cục và nội dung của dự thảo Báo cáo chính trị.",
    "Dự thảo dài, còn nhiều nội dung trùng lặp giữa phần đánh giá và phần phương hướng, đề nghị "
    "biên tập ngắn gọn hơn.",
    "Đề nghị bổ sung phần bài học kinh nghiệm rút ra từ nhiệm kỳ 2020–2025.",
    "Ngôn ngữ của dự thảo cần dễ hiểu hơn để đảng viên và Nhân dân dễ tiếp thu, dễ thực hiện.",
    "Đề nghị gửi dự thảo về chi bộ sớm hơn để đảng viên có thời gian nghiên cứu, góp ý.",
)

# How a minute-taker words the same point differently (prefix, then the point).
PREFIXES = (
    "",
    "",
    "",
    "Chi bộ đề nghị: ",
    "Ý kiến đảng viên: ",
    "Nhiều ý kiến: ",
    "Hội nghị thống nhất: ",
    "Qua thảo luận, ",
)

# Small rewordings that keep the point recognizable.
SYNONYMS = (
    ("Cần ", "Phải "),
    ("Đề nghị ", "Kiến nghị "),
    ("Nên ", "Đề nghị "),
    ("bổ sung", "thêm"),
    ("giải pháp", "biện pháp"),
    ("nhất là", "đặc biệt là"),
    ("cụ thể", "rõ ràng"),
)

# Remarks made once, by one meeting: (the paragraph's position in the draft, the remark).
ONE_OFF = (
    (0, "Đề nghị viết hoa đúng quy định tên các văn bản của Trung ương trong phần mở đầu."),
    (1, "Chi bộ khu dân cư số 3 phản ánh giá điện, nước tăng làm đời sống khó khăn hơn."),
    (2, "Xã đã về đích nông thôn mới nhưng đường giao thông nội đồng xuống cấp nhanh."),
    (3, "Cần đánh giá việc thu đảng phí theo quy định mới có được thực hiện nghiêm không."),
    (4, "Phần bối cảnh quốc tế viết dài, có thể rút gọn còn một đoạn."),
    (6, "Tỷ lệ đô thị hóa 55% cần tính cả các thị trấn mới được công nhận."),
    (7, "Đường sắt tốc độ cao và đường vành đai 5 vùng Thủ đô qua tỉnh cần được nhắc đến."),
    (8, "Hợp tác xã rau màu của thôn đang thiếu kho lạnh để bảo quản sản phẩm."),
    (9, "Nên khôi phục tuyến thuyền du lịch trên sông Kinh Thầy."),
    (10, "Nhiều thủ tục trên Cổng dịch vụ công vẫn yêu cầu nộp thêm bản giấy."),
    (11, "Chi bộ đề nghị giảm bớt số lượng sổ sách, biểu mẫu phải ghi chép hằng tháng."),
    (12, "Cần quy định rõ tiêu chí đánh giá cán bộ bằng sản phẩm cụ thể."),
    (13, "Việc công khai kết quả giải quyết tố cáo ở cơ sở còn chậm."),
    (14, "Đề nghị xây dựng thêm nhà văn hóa thôn đạt chuẩn và sân chơi cho trẻ em."),
    (15, "Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở cần được hỗ trợ phụ cấp thỏa đáng."),
)
