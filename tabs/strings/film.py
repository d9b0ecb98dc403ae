"""Strings of the films and stills for slides (tabs/film.py and the tabs' export buttons)."""

STRINGS = {
    "film.button": {"en": "GIF + PNG for slides", "vi": "GIF + PNG cho bài giảng"},
    "film.files": {"en": "For slides: the run as an animated GIF (1280 × 720) and its last frame (1920 × 1080)",
                   "vi": "Cho bài giảng: lần chạy dưới dạng GIF động (1280 × 720) và khung hình cuối (1920 × 1080)"},
    "film.err.empty": {"en": "Nothing filmed yet: start a run first (the film records it as it trains).",
                       "vi": "Chưa ghi được gì: hãy bắt đầu một lần chạy trước (phim được ghi trong lúc huấn luyện)."},
    "film.step": {"en": "step {step}", "vi": "bước {step}"},
    "film.epoch": {"en": "epoch {epoch} · update {step}", "vi": "epoch {epoch} · lần cập nhật {step}"},
    "film.gan.title": {"en": "GAN Lab · {data} · step {step}", "vi": "Phòng thí nghiệm GAN · {data} · bước {step}"},
    "film.gan.images": {"en": "GAN Lab · {data} · fixed-noise samples",
                        "vi": "Phòng thí nghiệm GAN · {data} · mẫu từ nhiễu cố định"},
    "film.vae.title": {"en": "VAE · decoded latent grid during training",
                       "vi": "VAE · lưới giải mã từ không gian ẩn trong lúc huấn luyện"},
    "film.ft.title": {"en": "Fine-tuning · {name} · step {step}", "vi": "Tinh chỉnh · {name} · bước {step}"},
}
