STRINGS = {
    "tab.finetune": {"en": "Fine-tuning", "vi": "Tinh chỉnh"},
    "ft.lesson": {
        "en": r"""
**Transfer learning** reuses what a model learned on one task or data set to do better, faster and with less data on a related one. Here the pretrained model is **MiniLM-L6** (a 6-layer BERT-style encoder, 22.7 M parameters, trained on a billion sentence pairs); the new task is classifying tweets about self-driving cars (negative / neutral / positive) or BBC News articles (5 topics). A new **classification head** (one linear layer, $384 \times C + C$ weights) sits on top.

**Fine-tuning** means training that pretrained model further on the new, smaller data set. How much of it you let move is the choice raced here, on the same data, batches and seed:
- **Feature extraction:** the encoder is frozen and used as a fixed feature extractor; only the head learns. Because the encoder never changes, its outputs are computed **once** and cached: every further epoch costs almost nothing. Cheap and safe on small data, but it cannot adapt features that do not fit the task.
- **Partial fine-tuning (layer freezing):** freeze the **bottom** layers (general language knowledge; the course recommends 25-50% of them) and tune the top; or freeze the **top** (rarer, mostly for probing); or freeze **every n-th** layer.
- **Full fine-tuning:** every weight moves. Usually the most accurate with enough data, but the most memory (gradients and two Adam moments for all 22.7 M weights) and the highest risk of **catastrophic forgetting**, which is why it uses a small learning rate ($2\text{e-}5$ to $5\text{e-}5$).
- **Parameter-efficient fine-tuning (PEFT):** freeze the model and train a few added weights. **LoRA** learns a low-rank update $W x + \frac{\alpha}{r} B A x$ ($r \ll 384$); **(IA)³** learns one scale per channel of keys, values and the feed-forward input; **prompt tuning** learns a few "virtual token" embeddings put in front of the text; **BitFit** (selective) trains only the bias vectors and the head.
- **From scratch:** the same architecture with random weights, trained on the same texts: the gap to the others is what the pretraining is worth. The **training-set-size sweep** below draws it as a curve: with few texts the pretrained model wins by far. Each size runs with several seeds and the bars show their range: at a few hundred texts a point moves by several points from one seed to the next, so a curve that dips between two sizes by less than the bars is noise, not a finding.

**Knobs that matter:** a small learning rate for pretrained weights and a larger one for a fresh head or adapter; **warmup** then a decaying **schedule** (linear, cosine, StepLR) for stability; **AdamW** (decoupled weight decay) or Adam; **gradient clipping** against exploding gradients.

**Read the results:** trainable parameters against accuracy, memory, samples per second, and **drift**: $1 - \cos$ between the encoder's sentence representations before and after training (0 = the pretrained knowledge is untouched).
""",
        "vi": r"""
**Học chuyển giao (transfer learning)** tái sử dụng kiến thức mà một mô hình đã học trên một tác vụ hay tập dữ liệu để làm tốt hơn, nhanh hơn và với ít dữ liệu hơn trên một tác vụ liên quan. Ở đây mô hình tiền huấn luyện là **MiniLM-L6** (bộ mã hóa kiểu BERT 6 lớp, 22,7 triệu tham số, huấn luyện trên một tỉ cặp câu); tác vụ mới là phân loại tweet về xe tự lái (tiêu cực / trung lập / tích cực) hoặc bài báo BBC News (5 chủ đề). Một **đầu phân loại** mới (một lớp tuyến tính, $384 \times C + C$ trọng số) được gắn lên trên.

**Tinh chỉnh (fine-tuning)** là huấn luyện tiếp mô hình tiền huấn luyện đó trên tập dữ liệu mới, nhỏ hơn. Cho phép bao nhiêu phần của mô hình thay đổi chính là lựa chọn được đem ra so tài ở đây, trên cùng dữ liệu, cùng các lô và cùng seed:
- **Trích xuất đặc trưng:** bộ mã hóa bị đóng băng và dùng như một bộ trích xuất đặc trưng cố định; chỉ đầu phân loại được học. Vì bộ mã hóa không đổi, đầu ra của nó được tính **một lần** rồi lưu lại: mỗi epoch sau đó gần như không tốn gì. Rẻ và an toàn với dữ liệu nhỏ, nhưng không thể điều chỉnh những đặc trưng không hợp với tác vụ.
- **Tinh chỉnh một phần (đóng băng lớp):** đóng băng các lớp **dưới** (kiến thức ngôn ngữ chung; giáo trình khuyên 25-50% số lớp) và tinh chỉnh phần trên; hoặc đóng băng các lớp **trên** (ít gặp hơn, chủ yếu để thăm dò); hoặc đóng băng **cứ mỗi lớp thứ n**.
- **Tinh chỉnh toàn bộ:** mọi trọng số đều thay đổi. Thường chính xác nhất khi đủ dữ liệu, nhưng tốn bộ nhớ nhất (gradient và hai mô-men Adam cho cả 22,7 triệu trọng số) và dễ bị **quên lãng thảm khốc** nhất, vì vậy dùng tốc độ học nhỏ (từ $2\text{e-}5$ đến $5\text{e-}5$).
- **Tinh chỉnh hiệu quả tham số (PEFT):** giữ nguyên mô hình và chỉ huấn luyện vài trọng số thêm vào. **LoRA** học một cập nhật hạng thấp $W x + \frac{\alpha}{r} B A x$ ($r \ll 384$); **(IA)³** học một hệ số co giãn cho mỗi kênh của key, value và đầu vào lớp truyền thẳng; **prompt tuning** học vài embedding "token ảo" đặt trước văn bản; **BitFit** (chọn lọc) chỉ huấn luyện các vectơ bias và đầu phân loại.
- **Huấn luyện từ đầu:** cùng kiến trúc nhưng trọng số ngẫu nhiên, học trên cùng các văn bản: khoảng cách với các chiến lược khác chính là giá trị của việc tiền huấn luyện. Phần **quét kích thước tập huấn luyện** bên dưới vẽ điều này thành một đường cong: khi có ít văn bản, mô hình tiền huấn luyện thắng rất xa. Mỗi kích thước chạy với vài seed và các thanh cho thấy khoảng dao động của chúng: với vài trăm văn bản, một điểm lệch vài điểm phần trăm từ seed này sang seed khác, nên một đường cong tụt giữa hai kích thước ít hơn độ dài các thanh là nhiễu, không phải một phát hiện.

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
    "ft.results": {"en": "Results", "vi": "Kết quả"},
    "ft.csv": {"en": "Results as CSV", "vi": "Kết quả dạng CSV"},
    # table and figures
    "ft.col.strategy": {"en": "strategy", "vi": "chiến lược"},
    "ft.col.trainable": {"en": "trainable params", "vi": "tham số huấn luyện"},
    "ft.col.pct": {"en": "% trainable", "vi": "% huấn luyện"},
    "ft.col.train_s": {"en": "train s", "vi": "giây huấn luyện"},
    "ft.col.sps": {"en": "samples/s", "vi": "mẫu/giây"},
    "ft.col.mem": {"en": "peak memory MB", "vi": "bộ nhớ đỉnh MB"},
    "ft.col.state": {"en": "state MB", "vi": "trạng thái MB"},
    "ft.col.drift": {"en": "drift", "vi": "độ trôi"},
    "ft.col.wall": {"en": "wall s", "vi": "tổng giây"},
    "ft.col.lr": {"en": "lr", "vi": "tốc độ học"},
    "ft.fig.loss": {"en": "Training loss", "vi": "Mất mát huấn luyện"},
    "ft.fig.chance": {"en": "majority class", "vi": "lớp đa số"},
    "ft.fig.params": {"en": "Trainable parameters against accuracy<br>(marker area: training seconds)",
                      "vi": "Số tham số huấn luyện so với độ chính xác<br>(diện tích điểm: số giây huấn luyện)"},
    "ft.fig.trainable": {"en": "trainable parameters (log scale)", "vi": "số tham số huấn luyện (thang log)"},
    # errors
    "ft.err.no_strategy": {"en": "Choose at least one strategy to race.", "vi": "Hãy chọn ít nhất một chiến lược."},
    "ft.err.cpu_limit": {"en": "On the CPU at most {max} training texts per race (about {minutes} minutes); a GPU takes the whole set.",
                         "vi": "Trên CPU tối đa {max} văn bản huấn luyện mỗi cuộc đua (khoảng {minutes} phút); GPU dùng được toàn bộ tập."},
    "ft.err.targets": {"en": "LoRA needs at least one target module.", "vi": "LoRA cần ít nhất một mô-đun áp dụng."},
    "ft.lr_info": {"en": "Defaults: full 5e-5, freezing 1e-4, from scratch 3e-4, LoRA and BitFit 1e-3, (IA)³ 5e-3, head only 2e-2, prompt 3e-2.",
                   "vi": "Mặc định: toàn bộ 5e-5, đóng băng 1e-4, từ đầu 3e-4, LoRA và BitFit 1e-3, (IA)³ 5e-3, chỉ đầu phân loại 2e-2, prompt 3e-2."},
    "ft.lora_dropout_info": {"en": "0 keeps the fast GPU path (CUDA graphs); above 0 the steps run one by one.",
                             "vi": "0 giữ đường chạy nhanh trên GPU (CUDA graph); lớn hơn 0 thì các bước chạy lần lượt từng bước."},
    # where a run is (the harness puts it into its statuses)
    "ft.where.prepare": {"en": "tokenizing and loading the pretrained model", "vi": "đang tách token và nạp mô hình tiền huấn luyện"},
    "ft.where.wait": {"en": "waiting for the GPU: another race is measuring its memory ({s:.0f} s so far; one race at a time keeps each peak-memory figure its own)",
                      "vi": "đang chờ GPU: một cuộc đua khác đang đo bộ nhớ của nó ({s:.0f} giây; mỗi lần một cuộc đua để số liệu bộ nhớ đỉnh là của riêng nó)"},
    "ft.where.setup": {"en": "{name}, copying the pretrained model (strategy {i} of {n})",
                       "vi": "{name}, đang sao chép mô hình tiền huấn luyện (chiến lược {i} trên {n})"},
    "ft.where.features": {"en": "{name}, encoder features computed once; the head trains on them (strategy {i} of {n})",
                          "vi": "{name}, đặc trưng của bộ mã hóa đã tính một lần; đầu phân loại học trên đó (chiến lược {i} trên {n})"},
    "ft.where.chunk": {"en": "{name}, {epoch} epoch(s) done: handing over to the next GPU call (strategy {i} of {n})",
                       "vi": "{name}, xong {epoch} epoch: chuyển sang lần gọi GPU tiếp theo (chiến lược {i}/{n})"},
    "ft.where.train": {"en": "{name}, step {step} of {total} (strategy {i} of {n})",
                       "vi": "{name}, bước {step} trên {total} (chiến lược {i} trên {n})"},
    "ft.where.loss": {"en": ", loss {loss:.3f}", "vi": ", mất mát {loss:.3f}"},
    "ft.where.acc": {"en": "test accuracy {acc:.1f}% ± {ci:.1f}", "vi": "độ chính xác kiểm tra {acc:.1f}% ± {ci:.1f}"},
    "ft.where.finished": {"en": "{name} finished, {acc} (strategy {i} of {n})",
                          "vi": "{name} đã xong, {acc} (chiến lược {i} trên {n})"},
    "ft.where.done": {"en": "{n} strategies in {s:.0f} s on {device}. Best: **{best}** ({acc}; ± is the 95% interval from the number of test texts)",
                      "vi": "{n} chiến lược trong {s:.0f} giây trên {device}. Tốt nhất: **{best}** ({acc}; ± là khoảng tin cậy 95% theo số văn bản kiểm tra)"},
    "ft.where.done_one": {"en": "**{best}** in {s:.0f} s on {device}: {acc} (± is the 95% interval from the number of test texts)",
                          "vi": "**{best}** trong {s:.0f} giây trên {device}: {acc} (± là khoảng tin cậy 95% theo số văn bản kiểm tra)"},
    "ft.where.size_seed": {"en": "{n_train} training texts (size {k} of {K}, seed {r} of {R}): ",
                           "vi": "{n_train} văn bản huấn luyện (cỡ {k} trên {K}, seed {r} trên {R}): "},
    "ft.where.size": {"en": "{n_train} training texts (size {k} of {K}): ", "vi": "{n_train} văn bản huấn luyện (cỡ {k} trên {K}): "},
    "ft.where.point": {"en": "{name} on {n_train} training texts: {acc}", "vi": "{name} với {n_train} văn bản huấn luyện: {acc}"},
    "ft.where.sweep_done": {"en": "{n} points in {s:.0f} s", "vi": "{n} điểm trong {s:.0f} giây"},
    "ft.mem_note": {
        "en": "Accuracy is in % of the test texts, with its 95% interval (Wilson) from their number: two strategies whose intervals overlap are not ranked by this data. Peak memory: on a GPU the CUDA allocator's maximum (`torch.cuda.max_memory_allocated`), one race on the GPU at a time so the figure is its own (another race waits, and says so); on the CPU it is **approximate**: the peak of the whole process's resident memory (RSS) above its level at the start, sampled every 5 ms, so other sessions' work adds to it and freed memory the allocator keeps hides some. *State* = weights + gradients + Adam moments, computed from the counts. *Drift* = 1 − cosine of the encoder's mean-pooled outputs before and after, on 64 test texts.",
        "vi": "Độ chính xác tính bằng % số văn bản kiểm tra, kèm khoảng tin cậy 95% (Wilson) theo số văn bản đó: hai chiến lược có khoảng chồng lên nhau thì dữ liệu này chưa xếp hạng được. Bộ nhớ đỉnh: trên GPU là mức tối đa của bộ cấp phát CUDA (`torch.cuda.max_memory_allocated`), mỗi lần chỉ một cuộc đua dùng GPU nên số liệu là của riêng nó (cuộc đua khác phải chờ và có thông báo); trên CPU đây là **giá trị gần đúng**: đỉnh bộ nhớ thường trú (RSS) của cả tiến trình so với lúc bắt đầu, lấy mẫu mỗi 5 ms, nên công việc của các phiên khác cũng cộng vào, còn bộ nhớ đã giải phóng mà bộ cấp phát giữ lại thì không hiện ra. *Trạng thái* = trọng số + gradient + các mô-men Adam, tính từ số tham số. *Độ trôi* = 1 − cosine giữa đầu ra trung bình của bộ mã hóa trước và sau, trên 64 văn bản kiểm tra.",
    },
    "ft.col.acc": {"en": "test accuracy %", "vi": "độ chính xác kiểm tra %"},
    "ft.col.ci": {"en": "95% interval (points)", "vi": "khoảng tin cậy 95% (điểm)"},
    "ft.fig.acc": {"en": "Test accuracy", "vi": "Độ chính xác kiểm tra"},
    "ft.fig.acc_axis": {"en": "%, bars: 95% CI", "vi": "%, thanh: KTC 95%"},
    "ft.fig.loss_axis": {"en": "loss", "vi": "mất mát"},
    "ft.fig.sweep": {"en": "Test accuracy against the number of training texts",
                     "vi": "Độ chính xác kiểm tra theo số văn bản huấn luyện"},
    "ft.fig.acc_axis_seeds": {"en": "%, bars: range of {n} seeds", "vi": "%, thanh: khoảng {n} seed"},
    "ft.fig.sweep_mean": {"en": "mean of {n} seeds", "vi": "trung bình của {n} seed"},
    "ft.fig.n_train": {"en": "training texts (log scale)", "vi": "số văn bản huấn luyện (thang log)"},
    # the size sweep
    "ft.sweep": {"en": "Training-set-size sweep: does pretraining need less data?",
                 "vi": "Quét kích thước tập huấn luyện: tiền huấn luyện có cần ít dữ liệu hơn không?"},
    "ft.sweep_intro": {"en": "Two strategies train on growing subsets of the training texts (same test texts, the settings above), each size with several seeds: a seed draws its own subset, head and batch order. The faint dots are the seeds, the line their mean, the bar their range. A dip between two sizes smaller than the bars is noise, not a finding: at a few hundred texts one seed's draw alone moves full fine-tuning by several points. On the CPU one seed of the default sweep takes one to two minutes, so three seeds take three to six.",
                       "vi": "Hai chiến lược được huấn luyện trên các tập con văn bản huấn luyện lớn dần (cùng văn bản kiểm tra, các thiết lập ở trên), mỗi kích thước với vài seed: mỗi seed tự rút tập con, lớp đầu ra và thứ tự batch của nó. Các chấm mờ là từng seed, đường nối là trung bình, thanh là khoảng từ thấp nhất đến cao nhất. Một chỗ tụt giữa hai kích thước nhỏ hơn các thanh ấy là nhiễu, không phải một phát hiện: với vài trăm văn bản, riêng cách rút của một seed đã làm tinh chỉnh toàn bộ lệch vài điểm phần trăm. Trên CPU, một seed của lần quét mặc định mất một đến hai phút, nên ba seed mất ba đến sáu phút."},
    "ft.sweep_repeats": {"en": "Seeds per size", "vi": "Số seed mỗi kích thước"},
    "ft.sweep_repeats_info": {"en": "more seeds: a surer curve, one more sweep's time each",
                              "vi": "nhiều seed hơn: đường cong chắc hơn, mỗi seed thêm thời gian của một lần quét"},
    "ft.sweep_a": {"en": "Strategy A", "vi": "Chiến lược A"},
    "ft.sweep_b": {"en": "Strategy B", "vi": "Chiến lược B"},
    "ft.sweep_sizes": {"en": "Training texts", "vi": "Số văn bản huấn luyện"},
    "ft.sweep_start": {"en": "Start the sweep", "vi": "Bắt đầu quét"},
    "ft.sweep_idle": {"en": "Choose two strategies and the sizes, then press **Start the sweep**.",
                      "vi": "Chọn hai chiến lược và các kích thước, rồi bấm **Bắt đầu quét**."},
    # errors
    "ft.err.strategy": {"en": "Unknown strategy: choose from {choices}.", "vi": "Chiến lược không có: hãy chọn trong {choices}."},
    "ft.err.pair": {"en": "The sweep compares two different strategies: choose two.",
                    "vi": "Phép quét so sánh hai chiến lược khác nhau: hãy chọn hai chiến lược."},
    "ft.err.repeats": {"en": "Seeds per size must be a whole number from 1 to {max}.",
                       "vi": "Số seed mỗi kích thước phải là số nguyên từ 1 đến {max}."},
    "ft.err.sizes": {"en": "Choose at least one training-set size for the sweep (whole numbers from 8 to 10,000,000).",
                     "vi": "Hãy chọn ít nhất một kích thước tập huấn luyện để quét (số nguyên từ 8 đến 10.000.000)."},
    "ft.err.layers": {"en": "{name} must be at most {n}: the model has {n} layers (got {value}).",
                      "vi": "{name} không được lớn hơn {n}: mô hình có {n} lớp (nhận được {value})."},
    "ft.err.xaxis": {"en": "Plot against one of: {choices}.", "vi": "Trục hoành phải là một trong: {choices}."},
    "ft.err.gpu_epoch": {"en": "One epoch of this configuration needs about {s} s of GPU, more than the {max} s one GPU call may hold: train on fewer texts or with a larger batch.",
                         "vi": "Một epoch với cấu hình này cần khoảng {s} giây GPU, nhiều hơn {max} giây mà một lần gọi GPU được giữ: hãy huấn luyện trên ít văn bản hơn hoặc dùng batch lớn hơn."},
    "ft.err.gpu_long": {"en": "This size sweep would need about {s} s of GPU, more than the {max} s one ZeroGPU call may hold: choose fewer sizes, texts or epochs.",
                        "vi": "Lần quét kích thước này cần khoảng {s} giây GPU, nhiều hơn {max} giây mà một lần gọi ZeroGPU được giữ: hãy chọn ít kích thước, văn bản hoặc epoch hơn."},
    # its film for slides
    "film.ft.title": {"en": "Fine-tuning · {name} · step {step}", "vi": "Tinh chỉnh · {name} · bước {step}"},
}
