"""The harness's own strings (the app's frame, the live-run controls, replays, films), English and Vietnamese.

Each tab keeps its own table in ``tabs/<tab>/strings.py``."""

STRINGS = {
    # ---------------------------------------------------------------- the app's frame
    "app.title": {
        "en": "# Deep Learning Playground\nSee transformers, generative models and fine-tuning at work: every number on screen is measured live.",
        "vi": "# Sân chơi Học sâu\nQuan sát Transformer, mô hình sinh và tinh chỉnh đang vận hành: mọi con số trên màn hình đều được đo trực tiếp.",
    },
    "app.language": {"en": "Language", "vi": "Ngôn ngữ"},
    "app.present": {"en": "Presenter mode", "vi": "Chế độ trình chiếu"},
    "app.present_info": {"en": "large text for a projector (?present=1)", "vi": "chữ lớn cho máy chiếu (?present=1)"},
    "app.link": {"en": "🔗 Link to this setup", "vi": "🔗 Liên kết tới thiết lập này"},
    "app.link_box": {"en": "Link (open it to restore these settings)", "vi": "Liên kết (mở để khôi phục các thiết lập này)"},
    "app.lesson": {"en": "Lesson", "vi": "Bài học"},
    "app.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên (seed)"},
    "app.stop": {"en": "Stop", "vi": "Dừng"},
    "app.device.gpu": {"en": "Running on GPU: {name}", "vi": "Đang chạy trên GPU: {name}"},
    "app.device.cpu_threads": {"en": "CPU ({threads} threads)", "vi": "CPU ({threads} luồng)"},
    "app.device.gpu_name": {"en": "GPU ({name})", "vi": "GPU ({name})"},
    "app.device.cpu": {"en": "No GPU found: running on the CPU ({threads} threads)",
                       "vi": "Không có GPU: đang chạy trên CPU ({threads} luồng)"},
    # ---------------------------------------------------------------- the lecture bar (tabs/harness/lecture.py)
    "lecture.prev": {"en": "◀ Previous", "vi": "◀ Trước"},
    "lecture.next": {"en": "Next ▶", "vi": "Tiếp ▶"},
    "lecture.close": {"en": "✕", "vi": "✕"},
    "lecture.bar": {"en": "**{n} / {total}** · {outline} {section}: {says}",
                    "vi": "**{n} / {total}** · {outline} {section}: {says}"},
    "lecture.bad_address": {"en": "This lecture link cannot be opened: {error}",
                            "vi": "Không mở được liên kết bài giảng này: {error}"},
    "lecture.none_open": {"en": "No lecture is open: choose one in the Lecture tab.",
                          "vi": "Chưa mở bài giảng nào: hãy chọn một bài trong thẻ Bài giảng."},
    # ---------------------------------------------------------------- the live-run harness
    "live.idle": {"en": "Ready: press **Start** (or **Step** to go one update at a time).",
                  "vi": "Sẵn sàng: bấm **Bắt đầu** (hoặc **Một bước** để đi từng lần cập nhật)."},
    "live.waiting.eta": {"en": "⋯ Waiting for a training slot: **{position}** in line, {training} runs training now; "
                                "starts in about **{eta}** (from how long such runs took here)",
                         "vi": "⋯ Đang chờ lượt huấn luyện: thứ **{position}** trong hàng, {training} lần chạy đang "
                               "huấn luyện; dự kiến bắt đầu sau khoảng **{eta}** (theo thời gian các lần chạy như vậy ở đây)"},
    "live.waiting.unknown": {"en": "⋯ Waiting for a training slot: **{position}** in line, {training} runs training "
                                   "now (no estimate yet: no run of these kinds has finished here)",
                             "vi": "⋯ Đang chờ lượt huấn luyện: thứ **{position}** trong hàng, {training} lần chạy đang "
                                   "huấn luyện (chưa ước lượng được: chưa lần chạy nào loại này kết thúc ở đây)"},
    "live.following": {"en": "⇉ **Following a run started by another session** (the same settings and seed: computed "
                             "once, shown to both). {status}",
                       "vi": "⇉ **Đang theo dõi một lần chạy do phiên khác bắt đầu** (cùng thiết lập và hạt giống: tính "
                             "một lần, hiển thị cho cả hai). {status}"},
    "live.following.left": {"en": "{status} (your view of a run started by another session ended here; it goes on "
                                  "for those still following it. **Resume** trains your own copy from this point.)",
                            "vi": "{status} (bạn đã dừng theo dõi lần chạy do phiên khác bắt đầu tại đây; nó vẫn chạy "
                                  "cho những người đang theo dõi. **Tiếp tục** huấn luyện bản sao của riêng bạn từ "
                                  "điểm này.)"},
    "live.preparing": {"en": "⋯ Preparing the run…", "vi": "⋯ Đang chuẩn bị lần chạy…"},
    "live.earlier_figures": {"en": "The figures below are still the earlier run's (or recording's): they change at "
                                   "this run's first snapshot.",
                             "vi": "Các hình bên dưới vẫn là của lần chạy (hoặc bản ghi) trước: chúng đổi khi lần chạy "
                                   "này có ảnh chụp đầu tiên."},
    "live.catching_up": {"en": "⋯ Training your own copy of this run to one snapshot past where you were (the same "
                               "settings and seed give the same frames): **{done}** of {target}; it pauses there.",
                         "vi": "⋯ Đang huấn luyện bản sao của riêng bạn tới một ảnh chụp sau chỗ bạn đang xem (cùng "
                               "thiết lập và hạt giống cho cùng các khung hình): **{done}** / {target}; rồi tạm dừng ở đó."},
    "live.back_in_line": {"en": "{line}. It goes on from {where} (a paused run gives its slot to the class).",
                          "vi": "{line}. Lần chạy sẽ tiếp tục từ {where} (khi tạm dừng, lần chạy nhường lượt cho cả "
                                "lớp)."},
    "live.running": {"en": "▶ Training: {where}", "vi": "▶ Đang huấn luyện: {where}"},
    "live.paused": {"en": "‖ Paused at {where}. **Resume** continues from here.",
                    "vi": "‖ Đã tạm dừng tại {where}. **Tiếp tục** sẽ chạy tiếp từ đây."},
    "live.stopped": {"en": "■ Stopped at {where}.", "vi": "■ Đã dừng tại {where}."},
    "live.stopped_early": {"en": "■ Stopped before the first update.", "vi": "■ Đã dừng trước lần cập nhật đầu tiên."},
    "live.withdrawn": {"en": "■ Stopped before it began: **Stop** came while this run still waited for its turn.",
                       "vi": "■ Đã dừng trước khi bắt đầu: bạn bấm **Dừng** khi lần chạy này còn đang chờ lượt."},
    "live.stopping": {"en": "■ Stopping: the current update finishes first…",
                      "vi": "■ Đang dừng: chờ lần cập nhật hiện tại kết thúc…"},
    "live.done": {"en": "✓ Done: {where}", "vi": "✓ Xong: {where}"},
    "live.diverged": {
        "en": "⚠ Training diverged at step {step}: the {what} became NaN or infinite. Training stopped; the figures "
              "show the last finite values ({where}). Try a smaller learning rate.",
        "vi": "⚠ Quá trình huấn luyện phân kỳ ở bước {step}: {what} trở thành NaN hoặc vô cùng. Đã dừng huấn luyện; "
              "các biểu đồ giữ giá trị hữu hạn cuối cùng ({where}). Hãy thử tốc độ học nhỏ hơn."},
    "live.failed": {"en": "⚠ The run stopped at {where}: {msg}", "vi": "⚠ Lần chạy dừng tại {where}: {msg}"},
    "live.failed_early": {"en": "⚠ The run could not start: {msg}", "vi": "⚠ Không thể bắt đầu lần chạy: {msg}"},
    "live.err.no_run": {"en": "Nothing to resume: press Start first.",
                        "vi": "Chưa có gì để tiếp tục: hãy bấm Bắt đầu trước."},
    "live.start": {"en": "Start", "vi": "Bắt đầu"},
    "live.pace.full": {"en": "full speed", "vi": "nhanh nhất"},
    "live.pace.1": {"en": "slow: 1 s a frame", "vi": "chậm: 1 giây/khung"},
    "live.pace.3": {"en": "slow: 3 s a frame", "vi": "chậm: 3 giây/khung"},
    "live.err.pace": {"en": "The pace must be one of {choices} (got {value}).",
                      "vi": "Nhịp chạy phải là một trong {choices} (nhận được {value})."},
    "live.pause_resume": {"en": "Pause / Resume", "vi": "Tạm dừng / Tiếp tục"},
    "live.step": {"en": "Step +1", "vi": "Một bước"},
    "live.stop": {"en": "Stop", "vi": "Dừng"},
    "app.err.knob": {"en": "{name} must be {allowed} (got {value}).",
                     "vi": "{name} phải là {allowed} (nhận được {value})."},
    "app.err.allowed_int": {"en": "a whole number from {lo} to {hi}", "vi": "một số nguyên từ {lo} đến {hi}"},
    "app.err.allowed_num": {"en": "a number from {lo} to {hi}", "vi": "một số từ {lo} đến {hi}"},
    "app.err.allowed_open": {"en": "a number greater than {lo} and at most {hi}",
                             "vi": "một số lớn hơn {lo} và không quá {hi}"},
    "app.err.allowed_choice": {"en": "one of: {choices}", "vi": "một trong các giá trị: {choices}"},
    "app.err.zero_auto": {"en": " (or 0 for automatic)", "vi": " (hoặc 0 để tự động chọn)"},
    # an input's value refused before any handler sees it (tabs/harness/patches.py): the widget does not know the
    # page's language, so the message gives both
    "app.err.input.number": {"en": "expected a number, got {value}", "vi": "cần một số, nhận được {value}"},
    "app.err.input.missing": {"en": "a number is needed", "vi": "cần nhập một số"},
    "app.err.input.surrogate": {"en": "the text holds a lone surrogate (half of a UTF-16 pair), which is not a character; "
                                      "send the text as UTF-8",
                                "vi": "văn bản chứa một nửa cặp UTF-16 đứng riêng, không phải một ký tự; hãy gửi văn bản "
                                      "dạng UTF-8"},
    "app.err.input.gradio": {"en": "a value this field cannot take", "vi": "giá trị mà ô này không nhận"},
    "app.err.input.sent": {"en": "The request holds a value the app cannot take (a file that was not uploaded, or a "
                                 "value of the wrong kind); nothing was done.",
                           "vi": "Yêu cầu chứa một giá trị ứng dụng không nhận (một tệp không được tải lên, hoặc một "
                                 "giá trị sai kiểu); không có gì được thực hiện."},
    "app.err.input.layers": {"en": "The image has {n} layers; at most {most} are taken.",
                             "vi": "Ảnh có {n} lớp; chỉ nhận tối đa {most} lớp."},
    "app.err.input.image_big": {"en": "the image is {width}x{height} pixels; at most {side} a side are taken",
                                "vi": "ảnh có {width}x{height} điểm ảnh; chỉ nhận tối đa {side} mỗi cạnh"},
    "app.err.input.image_huge": {"en": "the image is far larger than {side} pixels a side",
                                 "vi": "ảnh lớn hơn rất nhiều so với {side} điểm ảnh mỗi cạnh"},
    "app.err.input.image_bad": {"en": "this file is not an image the app can read (PNG, JPEG, WebP...)",
                                "vi": "tệp này không phải ảnh mà ứng dụng đọc được (PNG, JPEG, WebP...)"},
    "app.err.input.kind": {"en": "this value cannot be used here: {value}",
                           "vi": "không dùng được giá trị này ở đây: {value}"},
    "app.err.config": {"en": "These settings do not fit together: {msg}",
                       "vi": "Các thiết lập này không phù hợp với nhau: {msg}"},
    "app.err.bug": {"en": "an unexpected error in the app (it is in the server log); the app keeps running.",
                    "vi": "lỗi ngoài dự kiến trong ứng dụng (đã ghi vào nhật ký máy chủ); ứng dụng vẫn chạy bình thường."},
    # ---------------------------------------------------------------- replays
    "live.replay": {"en": "▷ Replay", "vi": "▷ Phát lại"},
    "live.replay.speed.instant": {"en": "at once", "vi": "tức thì"},
    "live.replay.speed.5": {"en": "in 5 s", "vi": "trong 5 giây"},
    "live.replay.speed.20": {"en": "in 20 s", "vi": "trong 20 giây"},
    "live.replay.speed.recorded": {"en": "real time", "vi": "thời gian thật"},
    "live.replay.facts": {"en": "seed {seed}, recorded {date} with code {version}, replayed {length}",
                          "vi": "seed {seed}, ghi lại ngày {date} bằng mã {version}, phát lại {length}"},
    "live.replay.running": {"en": "▷ **Replay of a recorded run** ({facts}), not training now: {where}",
                            "vi": "▷ **Phát lại một lần chạy đã ghi** ({facts}), không huấn luyện lúc này: {where}"},
    "live.replay.paused": {"en": "‖ **Replay of a recorded run** paused at {where} ({facts}). **Resume** or "
                                 "**Step +1** goes on through the recording; **Start** trains it live.",
                           "vi": "‖ **Phát lại một lần chạy đã ghi** đang tạm dừng tại {where} ({facts}). **Tiếp tục** "
                                 "hoặc **Một bước** đi tiếp trong bản ghi; **Bắt đầu** huấn luyện thật."},
    "live.replay.done": {"en": "✓ End of the **replay of a recorded run** ({facts}): {where}. **Start** trains it "
                               "live.",
                         "vi": "✓ Hết phần **phát lại một lần chạy đã ghi** ({facts}): {where}. **Bắt đầu** huấn "
                               "luyện thật."},
    "live.replay.opened": {"en": "✓ **Recorded run** of these settings: {where}. **Start** trains it live.",
                           "vi": "✓ **Lần chạy đã ghi** với các thiết lập này: {where}. **Bắt đầu** để huấn luyện thật."},
    "live.replay.stopped": {"en": "■ **Replay of a recorded run** stopped at {where} ({facts}).",
                            "vi": "■ Đã dừng **phát lại một lần chạy đã ghi** tại {where} ({facts})."},
    "live.replay.none": {"en": "No recording of these exact settings (recorded: {names}). **Start** trains them live.",
                         "vi": "Không có bản ghi cho đúng các thiết lập này (đã ghi: {names}). **Bắt đầu** để huấn "
                               "luyện thật."},
    "live.replay.unavailable": {"en": "▷ Replay is off: no recording of exactly these settings (recorded: {names}).",
                                "vi": "▷ Không phát lại được: không có bản ghi cho đúng các thiết lập này (đã ghi: {names})."},
    "live.replay.available": {"en": "▷ **Replay** shows a recorded run of these settings (seed {seed}, {date}, "
                                    "trained in {seconds:.0f} s) without training; **Start** trains live.",
                              "vi": "▷ **Phát lại** cho xem một lần chạy đã ghi với đúng các thiết lập này "
                                    "(seed {seed}, "
                                    "{date}, huấn luyện trong {seconds:.0f} giây) mà không cần huấn luyện; "
                                    "**Bắt đầu** để huấn luyện thật."},
    "live.recording.default": {"en": "the default settings", "vi": "thiết lập mặc định"},
    "live.recording.cpu_default": {"en": "the default settings for a CPU", "vi": "thiết lập mặc định cho CPU"},
    "live.replay.ended": {"en": "The replay has reached the end of its recording: press **Start** to train it live "
                                "(and then Resume to train further).",
                          "vi": "Bản phát lại đã tới cuối bản ghi: bấm **Bắt đầu** để huấn luyện thật (rồi Tiếp tục để "
                                "huấn luyện thêm)."},
    "live.replay.no_weights": {"en": "A replay shows a recorded run's figures but has no trained model: press "
                                     "**Start** to train one live first.",
                               "vi": "Bản phát lại chỉ có các biểu đồ của lần chạy đã ghi, không có mô hình đã huấn "
                                     "luyện: hãy bấm **Bắt đầu** để huấn luyện thật trước."},
    "live.replay.no_more": {"en": "A replay cannot train further: press **Start** to train live.",
                            "vi": "Bản phát lại không thể huấn luyện thêm: bấm **Bắt đầu** để huấn luyện thật."},
    # ---------------------------------------------------------------- a result the controls no longer match
    "stale.note": {"en": "From the previous settings: {what}.", "vi": "Kết quả của thiết lập trước: {what}."},
    "stale.again": {"en": "Press **{action}** to update it.", "vi": "Bấm **{action}** để cập nhật."},
    "stale.retrained": {"en": "the model was trained again since", "vi": "mô hình đã được huấn luyện lại sau đó"},
    "stale.reset": {"en": "the model was reset since", "vi": "mô hình đã được đặt lại sau đó"},
    # ---------------------------------------------------------------- films for slides
    "film.button": {"en": "GIF + PNG for slides", "vi": "GIF + PNG cho bài giảng"},
    "stills.button": {"en": "PNG + SVG for slides", "vi": "PNG + SVG cho bài giảng"},
    "stills.files": {"en": "For slides: each figure of the run on screen as PNG (1280 × 720) and SVG",
                     "vi": "Cho bài giảng: mỗi hình của lần chạy trên màn hình dạng PNG (1280 × 720) và SVG"},
    "stills.err.empty": {"en": "No figure to export yet: start a run (or a replay) first.",
                         "vi": "Chưa có hình để xuất: hãy bắt đầu một lần chạy (hoặc phát lại) trước."},
    "stills.err.running": {"en": "The run is still training: pause it (or let it finish), then export its figures as "
                                 "they stand.",
                           "vi": "Lần chạy vẫn đang huấn luyện: hãy tạm dừng (hoặc chờ nó xong) rồi xuất các hình "
                                 "như đang hiển thị."},
    "film.files": {"en": "For slides: the run as an animated GIF (1280 × 720) and its last frame (1920 × 1080)",
                   "vi": "Cho bài giảng: lần chạy dưới dạng GIF động (1280 × 720) và khung hình cuối (1920 × 1080)"},
    "film.err.empty": {"en": "Nothing filmed yet: start a run first (the film records it as it trains).",
                       "vi": "Chưa ghi được gì: hãy bắt đầu một lần chạy trước (phim được ghi trong lúc huấn luyện)."},
    "film.step": {"en": "step {step}", "vi": "bước {step}"},
    "film.epoch": {"en": "epoch {epoch} · update {step}", "vi": "epoch {epoch} · lần cập nhật {step}"},
    # ---------------------------------------------------------------- draw your own data (tabs/harness/canvas.py)
    "drawn.choice": {"en": "✎ Draw your own", "vi": "✎ Tự vẽ dữ liệu"},
    "drawn.colour": {"en": "Colour (class):", "vi": "Màu (lớp):"},
    "drawn.class": {"en": "class {k}", "vi": "lớp {k}"},
    "drawn.undo": {"en": "↶ Undo", "vi": "↶ Hoàn tác"},
    "drawn.clear": {"en": "Clear", "vi": "Xoá hết"},
    "drawn.starter": {"en": "Start from…", "vi": "Bắt đầu từ…"},
    "drawn.starter.heart": {"en": "a heart", "vi": "trái tim"},
    "drawn.starter.smiley": {"en": "a smiley (3 colours)", "vi": "mặt cười (3 màu)"},
    "drawn.starter.letters": {"en": "the letters AI (2 colours)", "vi": "chữ AI (2 màu)"},
    "drawn.hint": {"en": "Click to add a point, drag to draw", "vi": "Bấm để thêm điểm, kéo để vẽ"},
    "drawn.count": {"en": "{n} points (max {max})", "vi": "{n} điểm (tối đa {max})"},
    "drawn.err.few": {"en": "Draw at least {min} points on the canvas first (it holds {n}).",
                      "vi": "Hãy vẽ ít nhất {min} điểm lên khung vẽ trước (hiện có {n})."},
    "drawn.err.bad": {"en": "The drawn data cannot be read: {msg}. Clear the canvas and draw again.",
                      "vi": "Không đọc được dữ liệu đã vẽ: {msg}. Hãy xoá khung vẽ và vẽ lại."},
    "drawn.named": {"en": "a drawing of {n} points", "vi": "hình tự vẽ {n} điểm"},
}
