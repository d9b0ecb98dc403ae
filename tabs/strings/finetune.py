STRINGS = {
    "ft.lesson": {
        "en": r"""
**Transfer learning** reuses what a model learned on one task or data set to do better, faster and with less data on a related one. Here the pretrained model is **MiniLM-L6** (a 6-layer BERT-style encoder, 22.7 M parameters, trained on a billion sentence pairs); the new task is classifying tweets about self-driving cars (negative / neutral / positive) or BBC News articles (5 topics). A new **classification head** (one linear layer, $384 \times C + C$ weights) sits on top.

**Fine-tuning** means training that pretrained model further on the new, smaller data set. How much of it you let move is the choice raced here, on the same data, batches and seed:
- **Feature extraction:** the encoder is frozen and used as a fixed feature extractor; only the head learns. Because the encoder never changes, its outputs are computed **once** and cached: every further epoch costs almost nothing. Cheap and safe on small data, but it cannot adapt features that do not fit the task.
- **Partial fine-tuning (layer freezing):** freeze the **bottom** layers (general language knowledge; the course recommends 25-50% of them) and tune the top; or freeze the **top** (rarer, mostly for probing); or freeze **every n-th** layer.
- **Full fine-tuning:** every weight moves. Usually the most accurate with enough data, but the most memory (gradients and two Adam moments for all 22.7 M weights) and the highest risk of **catastrophic forgetting**, which is why it uses a small learning rate ($2\text{e-}5$ to $5\text{e-}5$).
- **Parameter-efficient fine-tuning (PEFT):** freeze the model and train a few added weights. **LoRA** learns a low-rank update $W x + \frac{\alpha}{r} B A x$ ($r \ll 384$); **(IA)³** learns one scale per channel of keys, values and the feed-forward input; **prompt tuning** learns a few "virtual token" embeddings put in front of the text.

**Knobs that matter:** a small learning rate for pretrained weights and a larger one for a fresh head or adapter; **warmup** then a decaying **schedule** (linear, cosine, StepLR) for stability; **AdamW** (decoupled weight decay) or Adam; **gradient clipping** against exploding gradients.

**Read the results:** trainable parameters against accuracy, memory, samples per second, and **drift**: $1 - \cos$ between the encoder's sentence representations before and after training (0 = the pretrained knowledge is untouched).
""",
        "vi": r"""
**Học chuyển giao (transfer learning)** tái sử dụng kiến thức mà một mô hình đã học trên một tác vụ hay tập dữ liệu để làm tốt hơn, nhanh hơn và với ít dữ liệu hơn trên một tác vụ liên quan. Ở đây mô hình tiền huấn luyện là **MiniLM-L6** (bộ mã hóa kiểu BERT 6 lớp, 22,7 triệu tham số, huấn luyện trên một tỉ cặp câu); tác vụ mới là phân loại tweet về xe tự lái (tiêu cực / trung lập / tích cực) hoặc bài báo BBC News (5 chủ đề). Một **đầu phân loại** mới (một lớp tuyến tính, $384 \times C + C$ trọng số) được gắn lên trên.

**Tinh chỉnh (fine-tuning)** là huấn luyện tiếp mô hình tiền huấn luyện đó trên tập dữ liệu mới, nhỏ hơn. Cho phép bao nhiêu phần của mô hình thay đổi chính là lựa chọn được đem ra so tài ở đây, trên cùng dữ liệu, cùng các lô và cùng seed:
- **Trích xuất đặc trưng:** bộ mã hóa bị đóng băng và dùng như một bộ trích xuất đặc trưng cố định; chỉ đầu phân loại được học. Vì bộ mã hóa không đổi, đầu ra của nó được tính **một lần** rồi lưu lại: mỗi epoch sau đó gần như không tốn gì. Rẻ và an toàn với dữ liệu nhỏ, nhưng không thể điều chỉnh những đặc trưng không hợp với tác vụ.
- **Tinh chỉnh một phần (đóng băng lớp):** đóng băng các lớp **dưới** (kiến thức ngôn ngữ chung; giáo trình khuyên 25-50% số lớp) và tinh chỉnh phần trên; hoặc đóng băng các lớp **trên** (ít gặp hơn, chủ yếu để thăm dò); hoặc đóng băng **cứ mỗi lớp thứ n**.
- **Tinh chỉnh toàn bộ:** mọi trọng số đều thay đổi. Thường chính xác nhất khi đủ dữ liệu, nhưng tốn bộ nhớ nhất (gradient và hai mô-men Adam cho cả 22,7 triệu trọng số) và dễ bị **quên lãng thảm khốc** nhất, vì vậy dùng tốc độ học nhỏ (từ $2\text{e-}5$ đến $5\text{e-}5$).
- **Tinh chỉnh hiệu quả tham số (PEFT):** giữ nguyên mô hình và chỉ huấn luyện vài trọng số thêm vào. **LoRA** học một cập nhật hạng thấp $W x + \frac{\alpha}{r} B A x$ ($r \ll 384$); **(IA)³** học một hệ số co giãn cho mỗi kênh của key, value và đầu vào lớp truyền thẳng; **prompt tuning** học vài embedding "token ảo" đặt trước văn bản.

**Các núm chỉnh quan trọng:** tốc độ học nhỏ cho trọng số tiền huấn luyện và lớn hơn cho đầu phân loại hay adapter mới; **khởi động (warmup)** rồi **lịch trình** giảm dần (tuyến tính, cosine, StepLR) để ổn định; **AdamW** (suy giảm trọng số tách rời) hoặc Adam; **cắt gradient** để tránh bùng nổ gradient.

**Đọc kết quả:** số tham số huấn luyện so với độ chính xác, bộ nhớ, số mẫu mỗi giây, và **độ trôi**: $1 - \cos$ giữa biểu diễn câu của bộ mã hóa trước và sau huấn luyện (0 = kiến thức tiền huấn luyện còn nguyên).
""",
    },
    # data and strategies
    "ft.data": {"en": "Data set", "vi": "Tập dữ liệu"},
    "ft.data.tweets": {"en": "Tweets: sentiment, 3 classes (38k)", "vi": "Tweet: cảm xúc, 3 lớp (38 nghìn)"},
    "ft.data.bbc": {"en": "BBC News: topic, 5 classes (2.2k)", "vi": "BBC News: chủ đề, 5 lớp (2,2 nghìn)"},
    "ft.strategies": {"en": "Strategies to race", "vi": "Các chiến lược thi đấu"},
    "ft.strategies_info": {"en": "They run one after another on the same data, batches and seed.",
                           "vi": "Chúng chạy lần lượt trên cùng dữ liệu, cùng các lô và cùng seed."},
    "ft.s.feature_extraction": {"en": "Feature extraction (head only)", "vi": "Trích xuất đặc trưng (chỉ đầu phân loại)"},
    "ft.s.freeze_bottom": {"en": "Freeze bottom k layers", "vi": "Đóng băng k lớp dưới"},
    "ft.s.freeze_top": {"en": "Freeze top k layers", "vi": "Đóng băng k lớp trên"},
    "ft.s.freeze_interval": {"en": "Freeze every n-th layer", "vi": "Đóng băng mỗi lớp thứ n"},
    "ft.s.full": {"en": "Full fine-tuning", "vi": "Tinh chỉnh toàn bộ"},
    "ft.s.lora": {"en": "LoRA (peft)", "vi": "LoRA (peft)"},
    "ft.s.ia3": {"en": "(IA)³ (peft)", "vi": "(IA)³ (peft)"},
    "ft.s.prompt_tuning": {"en": "Prompt tuning (peft)", "vi": "Prompt tuning (peft)"},
    "ft.s.bitfit": {"en": "BitFit (biases only)", "vi": "BitFit (chỉ các hệ số bias)"},
    "ft.s.from_scratch": {"en": "From scratch (random weights)", "vi": "Huấn luyện từ đầu (trọng số ngẫu nhiên)"},
    # shared knobs
    "ft.epochs": {"en": "Epochs", "vi": "Số epoch"},
    "ft.limit": {"en": "Training texts (0 = device default)", "vi": "Số văn bản huấn luyện (0 = mặc định theo thiết bị)"},
    "ft.limit_info": {"en": "CPU: 800 (about a minute for 4 strategies); GPU: the whole training set.",
                      "vi": "CPU: 800 (khoảng một phút cho 4 chiến lược); GPU: toàn bộ tập huấn luyện."},
    "ft.test_limit": {"en": "Test texts scored (0 = device default: 250 on the CPU, all on a GPU)",
                      "vi": "Số văn bản kiểm tra (0 = mặc định: 250 trên CPU, toàn bộ trên GPU)"},
    "ft.batch_size": {"en": "Batch size (0 = device default)", "vi": "Kích thước lô (0 = mặc định theo thiết bị)"},
    "ft.max_length": {"en": "Maximum tokens per text (0 = device default)",
                      "vi": "Số token tối đa mỗi văn bản (0 = mặc định theo thiết bị)"},
    "ft.optim": {"en": "Optimisation", "vi": "Tối ưu hóa"},
    "ft.lr": {"en": "Learning rate (0 = per-strategy default)", "vi": "Tốc độ học (0 = mặc định theo chiến lược)"},
    "ft.lr_info": {"en": "Defaults: full 5e-5, freezing 1e-4, LoRA 1e-3, (IA)³ 5e-3, head only 2e-2, prompt 3e-2.",
                   "vi": "Mặc định: toàn bộ 5e-5, đóng băng 1e-4, LoRA 1e-3, (IA)³ 5e-3, chỉ đầu phân loại 2e-2, prompt 3e-2."},
    "ft.optimizer": {"en": "Optimizer", "vi": "Bộ tối ưu"},
    "ft.weight_decay": {"en": "Weight decay", "vi": "Suy giảm trọng số"},
    "ft.schedule": {"en": "Learning-rate schedule (after warmup)", "vi": "Lịch trình tốc độ học (sau khởi động)"},
    "ft.sch.constant": {"en": "constant", "vi": "không đổi"},
    "ft.sch.linear": {"en": "linear decay", "vi": "giảm tuyến tính"},
    "ft.sch.cosine": {"en": "cosine", "vi": "cosine"},
    "ft.sch.step": {"en": "StepLR (×0.5 every third)", "vi": "StepLR (×0,5 mỗi một phần ba)"},
    "ft.warmup": {"en": "Warmup (share of the steps)", "vi": "Khởi động (tỉ lệ số bước)"},
    "ft.clip": {"en": "Gradient clipping (max norm, 0 = off)", "vi": "Cắt gradient (chuẩn tối đa, 0 = tắt)"},
    "ft.seed": {"en": "Seed", "vi": "Seed"},
    "ft.strategy_settings": {"en": "Strategy settings", "vi": "Thiết lập chiến lược"},
    "ft.freeze_k": {"en": "k: layers frozen (bottom / top), of 6", "vi": "k: số lớp đóng băng (dưới / trên), trên 6"},
    "ft.freeze_k_info": {"en": "The course suggests freezing 25-50% of the bottom layers (2-3 here).",
                         "vi": "Giáo trình gợi ý đóng băng 25-50% số lớp dưới (2-3 lớp ở đây)."},
    "ft.freeze_every": {"en": "n: freeze layers 0, n, 2n, …", "vi": "n: đóng băng các lớp 0, n, 2n, …"},
    "ft.lora_r": {"en": "LoRA rank r", "vi": "Hạng LoRA r"},
    "ft.lora_alpha": {"en": "LoRA alpha (scale α/r)", "vi": "LoRA alpha (hệ số α/r)"},
    "ft.lora_dropout": {"en": "LoRA dropout", "vi": "Dropout của LoRA"},
    "ft.lora_targets": {"en": "LoRA target modules (in every layer)", "vi": "Các mô-đun LoRA áp dụng (trong mọi lớp)"},
    "ft.prompt_tokens": {"en": "Prompt tuning: virtual tokens", "vi": "Prompt tuning: số token ảo"},
    # run
    "ft.start": {"en": "Start the race", "vi": "Bắt đầu cuộc đua"},
    "ft.xaxis": {"en": "Plot against", "vi": "Trục hoành"},
    "ft.x.step": {"en": "training step", "vi": "bước huấn luyện"},
    "ft.x.time": {"en": "seconds", "vi": "giây"},
    "ft.status.idle": {"en": "Choose strategies and press **Start the race**.",
                       "vi": "Chọn các chiến lược rồi nhấn **Bắt đầu cuộc đua**."},
    "ft.status.prepare": {"en": "Tokenizing and loading the pretrained model…",
                          "vi": "Đang tách token và nạp mô hình tiền huấn luyện…"},
    "ft.status.wait": {"en": "Waiting for the GPU: another race is using it ({s:.0f} s so far); one race at a time keeps each memory figure its own.",
                       "vi": "Đang chờ GPU: một cuộc đua khác đang dùng ({s:.0f} s); mỗi lần chỉ một cuộc đua để số liệu bộ nhớ là của riêng nó."},
    "ft.status.setup": {"en": "**{name}** ({i}/{n}): copying the pretrained model…",
                        "vi": "**{name}** ({i}/{n}): đang sao chép mô hình tiền huấn luyện…"},
    "ft.status.features": {"en": "**{name}** ({i}/{n}): encoder features computed once ({s:.1f} s since the start); the head now trains on the cache…",
                           "vi": "**{name}** ({i}/{n}): đặc trưng của bộ mã hóa đã được tính một lần ({s:.1f} giây kể từ lúc bắt đầu); giờ đầu phân loại học trên bộ nhớ đệm…"},
    "ft.status.train": {"en": "**{name}** ({i}/{n}): step {step}/{total}, loss {loss:.3f}{acc}",
                        "vi": "**{name}** ({i}/{n}): bước {step}/{total}, mất mát {loss:.3f}{acc}"},
    "ft.status.acc": {"en": ", test accuracy {acc:.1%}", "vi": ", độ chính xác kiểm tra {acc:.1%}"},
    "ft.status.done": {"en": "Race finished: {n} strategies in {s:.0f} s on {device}. Best: **{best}** ({acc:.1%}).",
                       "vi": "Cuộc đua kết thúc: {n} chiến lược trong {s:.0f} giây trên {device}. Tốt nhất: **{best}** ({acc:.1%})."},
    "ft.results": {"en": "Results", "vi": "Kết quả"},
    "ft.csv": {"en": "Results as CSV", "vi": "Kết quả dạng CSV"},
    "ft.mem_note": {
        "en": "Peak memory: on a GPU the CUDA allocator's maximum (`torch.cuda.max_memory_allocated`); on the CPU the highest resident memory of the process above its level at the start, sampled every 5 ms (other work in the same process adds to it). *State* = weights + gradients + Adam moments, computed from the counts. *Drift* = 1 − cosine of the encoder's mean-pooled outputs before and after, on 64 test texts.",
        "vi": "Bộ nhớ đỉnh: trên GPU là mức tối đa của bộ cấp phát CUDA (`torch.cuda.max_memory_allocated`); trên CPU là bộ nhớ thường trú cao nhất của tiến trình so với lúc bắt đầu, lấy mẫu mỗi 5 ms (công việc khác trong cùng tiến trình cũng cộng vào). *Trạng thái* = trọng số + gradient + các mô-men Adam, tính từ số tham số. *Độ trôi* = 1 − cosine giữa đầu ra trung bình của bộ mã hóa trước và sau, trên 64 văn bản kiểm tra.",
    },
    # table and figures
    "ft.col.strategy": {"en": "strategy", "vi": "chiến lược"},
    "ft.col.trainable": {"en": "trainable params", "vi": "tham số huấn luyện"},
    "ft.col.pct": {"en": "% trainable", "vi": "% huấn luyện"},
    "ft.col.acc": {"en": "test accuracy", "vi": "độ chính xác kiểm tra"},
    "ft.col.train_s": {"en": "train s", "vi": "giây huấn luyện"},
    "ft.col.sps": {"en": "samples/s", "vi": "mẫu/giây"},
    "ft.col.mem": {"en": "peak memory MB", "vi": "bộ nhớ đỉnh MB"},
    "ft.col.state": {"en": "state MB", "vi": "trạng thái MB"},
    "ft.col.drift": {"en": "drift", "vi": "độ trôi"},
    "ft.col.wall": {"en": "wall s", "vi": "tổng giây"},
    "ft.col.lr": {"en": "lr", "vi": "tốc độ học"},
    "ft.fig.loss": {"en": "Training loss", "vi": "Mất mát huấn luyện"},
    "ft.fig.acc": {"en": "Test accuracy", "vi": "Độ chính xác kiểm tra"},
    "ft.fig.chance": {"en": "majority class", "vi": "lớp đa số"},
    "ft.fig.params": {"en": "Trainable parameters against accuracy (marker area: training seconds)",
                      "vi": "Số tham số huấn luyện so với độ chính xác (diện tích điểm: số giây huấn luyện)"},
    "ft.fig.trainable": {"en": "trainable parameters (log scale)", "vi": "số tham số huấn luyện (thang log)"},
    # errors
    "ft.err.no_strategy": {"en": "Choose at least one strategy to race.", "vi": "Hãy chọn ít nhất một chiến lược."},
    "ft.err.lr": {"en": "The learning rate must be a positive number up to 1 (or 0 for the per-strategy defaults).",
                  "vi": "Tốc độ học phải là số dương không quá 1 (hoặc 0 để dùng mặc định theo chiến lược)."},
    "ft.err.limit": {"en": "Training texts must be 0 (device default) or from 8 to {max}.",
                     "vi": "Số văn bản huấn luyện phải là 0 (mặc định) hoặc từ 8 đến {max}."},
    "ft.err.cpu_limit": {"en": "On the CPU at most {max} training texts per race (about {minutes} minutes); a GPU takes the whole set.",
                         "vi": "Trên CPU tối đa {max} văn bản huấn luyện mỗi cuộc đua (khoảng {minutes} phút); GPU dùng được toàn bộ tập."},
    "ft.err.test_limit": {"en": "Test texts must be 0 (device default) or at least 8.",
                          "vi": "Số văn bản kiểm tra phải là 0 (mặc định) hoặc ít nhất 8."},
    "ft.err.targets": {"en": "LoRA needs at least one target module.", "vi": "LoRA cần ít nhất một mô-đun áp dụng."},
    "ft.err.range": {"en": "{name}: expected a whole number from {lo} to {hi}.",
                     "vi": "{name}: cần một số nguyên từ {lo} đến {hi}."},
    "ft.err.number": {"en": "{name} must be a number.", "vi": "{name} phải là một số."},
}
