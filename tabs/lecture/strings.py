"""The Lecture tab's texts, English and Vietnamese."""

STRINGS = {
    "tab.lecture": {"en": "🎓 Lecture", "vi": "🎓 Bài giảng"},
    "lec.intro": {
        "en": "A lecture walks the course outline through prepared **moments**: each opens a tab on a recording or "
              "an instant view, with the one sentence it shows. **Begin** opens the first; the bar above the tabs "
              "moves on (**Next**, **Previous**; in presenter mode the keys N and P). A lecture is a JSON file in "
              "`assets/lectures/`: copy one, edit it, check it with `python -m playground lecture check FILE`.",
        "vi": "Một bài giảng đi qua đề cương môn học bằng các **khoảnh khắc** đã chuẩn bị: mỗi khoảnh khắc mở một thẻ "
              "với một lần chạy đã ghi hoặc một hình tính ngay, kèm một câu nói nó cho thấy điều gì. **Bắt đầu** mở "
              "khoảnh khắc đầu tiên; thanh phía trên các thẻ chuyển tiếp (**Tiếp**, **Trước**; ở chế độ trình chiếu "
              "là phím N và P). Bài giảng là một tệp JSON trong `assets/lectures/`: sao chép, sửa, rồi kiểm tra bằng "
              "`python -m playground lecture check FILE`.",
    },
    "lec.choose": {"en": "Lecture", "vi": "Bài giảng"},
    "lec.moment": {"en": "Moment", "vi": "Khoảnh khắc"},
    "lec.begin": {"en": "▶ Begin", "vi": "▶ Bắt đầu"},
    "lec.open": {"en": "Open this moment", "vi": "Mở khoảnh khắc này"},
    "lec.count": {"en": "{sections} sections, {moments} moments.", "vi": "{sections} mục, {moments} khoảnh khắc."},
    "lec.uncovered": {"en": " Not covered: {ids}.", "vi": " Chưa có: {ids}."},
    "lec.lands": {"en": "figure: {shows}", "vi": "hình: {shows}"},
    "lec.unreadable": {"en": "This lecture cannot be read: {error}", "vi": "Không đọc được bài giảng này: {error}"},
}
