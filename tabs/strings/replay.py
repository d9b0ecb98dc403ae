"""Strings of the instant replays of recorded runs (tabs/replays.py)."""

STRINGS = {
    "live.replay": {"en": "▷ Replay", "vi": "▷ Phát lại"},
    "live.replay.speed.instant": {"en": "at once", "vi": "tức thì"},
    "live.replay.speed.5": {"en": "in 5 s", "vi": "trong 5 giây"},
    "live.replay.speed.20": {"en": "in 20 s", "vi": "trong 20 giây"},
    "live.replay.speed.recorded": {"en": "real time", "vi": "đúng thời gian thật"},
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
    "live.replay.stopped": {"en": "■ **Replay of a recorded run** stopped at {where} ({facts}).",
                            "vi": "■ Đã dừng **phát lại một lần chạy đã ghi** tại {where} ({facts})."},
    "live.replay.none": {"en": "No recording of these exact settings (recorded: {names}). **Start** trains them live.",
                         "vi": "Không có bản ghi cho đúng các thiết lập này (đã ghi: {names}). **Bắt đầu** để huấn "
                               "luyện thật."},
    "live.replay.unavailable": {"en": "▷ Replay: no recording of these settings (recorded: {names}).",
                                "vi": "▷ Phát lại: không có bản ghi cho các thiết lập này (đã ghi: {names})."},
    "live.replay.available": {"en": "▷ **Replay** shows a recorded run of these settings (seed {seed}, {date}, "
                                    "trained in {seconds:.0f} s) without training; **Start** trains live.",
                              "vi": "▷ **Phát lại** cho xem một lần chạy đã ghi với đúng các thiết lập này "
                                    "(seed {seed}, "
                                    "{date}, huấn luyện trong {seconds:.0f} giây) mà không cần huấn luyện; "
                                    "**Bắt đầu** để huấn luyện thật."},
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
}
