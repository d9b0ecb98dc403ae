"""The course's outline (``course-outline.vi.md``): its sections, by the ids a lecture's sections name.

Two parts (I. Transformers and generative models, II. Transfer learning and fine-tuning), four chapters, fifteen
sections. The shipped lecture covers every one (``tests/unit/test_lecture.py``); a lecturer's own may cover fewer.
"""

from __future__ import annotations

OUTLINE: dict[str, dict[str, str]] = {
    "I.A.1": {"en": "Transformers: what they are", "vi": "Transformer là gì"},
    "I.A.2": {"en": "The architecture: encoder, decoder, attention", "vi": "Kiến trúc: bộ mã hóa, bộ giải mã, cơ chế chú ý"},
    "I.A.3": {"en": "Why transformers beat RNNs and LSTMs", "vi": "Ưu điểm so với RNN và LSTM"},
    "I.A.4": {"en": "BERT, GPT and T5", "vi": "BERT, GPT và T5"},
    "I.B.1": {"en": "Generative models: what they are", "vi": "Mô hình sinh là gì"},
    "I.B.2": {"en": "Discriminative vs generative", "vi": "Mô hình phân biệt và mô hình sinh"},
    "I.B.3": {"en": "Generative adversarial networks", "vi": "Mạng đối nghịch tạo sinh (GAN)"},
    "I.B.4": {"en": "What GANs are used for", "vi": "Ứng dụng của GAN"},
    "I.B.5": {"en": "Variational autoencoders", "vi": "Bộ tự mã hóa biến đổi (VAE)"},
    "I.B.6": {"en": "What VAEs are used for", "vi": "Ứng dụng của VAE"},
    "II.A.1": {"en": "Transfer learning: what it is", "vi": "Học chuyển giao là gì"},
    "II.A.2": {"en": "Pretrained models people transfer from", "vi": "Các mô hình tiền huấn luyện phổ biến"},
    "II.B.1": {"en": "Fine-tuning: what it is", "vi": "Tinh chỉnh là gì"},
    "II.B.2": {"en": "Feature extraction vs full fine-tuning", "vi": "Trích xuất đặc trưng và tinh chỉnh toàn bộ"},
    "II.B.3": {"en": "Fine-tuning well: freezing, small learning rates, PEFT",
               "vi": "Tinh chỉnh hiệu quả: đóng băng lớp, tốc độ học nhỏ, PEFT"},
}
