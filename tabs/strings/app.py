STRINGS = {
    "app.title": {
        "en": "# Deep Learning Playground\nSee transformers, generative models and fine-tuning at work: every number on screen is measured live.",
        "vi": "# Sân chơi Học sâu\nQuan sát Transformer, mô hình sinh và tinh chỉnh đang vận hành: mọi con số trên màn hình đều được đo trực tiếp.",
    },
    "app.language": {"en": "Language", "vi": "Ngôn ngữ"},
    "app.lesson": {"en": "Lesson", "vi": "Bài học"},
    "app.device": {"en": "Device", "vi": "Thiết bị"},
    "app.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên (seed)"},
    "app.stop": {"en": "Stop", "vi": "Dừng"},
    "app.error.generic": {"en": "Something went wrong: {msg}", "vi": "Đã có lỗi: {msg}"},
    "app.device.gpu": {"en": "Running on GPU: {name}", "vi": "Đang chạy trên GPU: {name}"},
    "app.device.cpu": {"en": "No GPU found: running on the CPU ({threads} threads)",
                       "vi": "Không có GPU: đang chạy trên CPU ({threads} luồng)"},
    "tab.attention": {"en": "Attention Explorer", "vi": "Khám phá Attention"},
    "tab.gan": {"en": "GAN Lab", "vi": "Phòng thí nghiệm GAN"},
    "tab.vae": {"en": "VAE Explorer", "vi": "Khám phá VAE"},
    "tab.finetune": {"en": "Fine-tuning Lab", "vi": "Phòng thí nghiệm Tinh chỉnh"},
}
