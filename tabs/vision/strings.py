STRINGS = {
    "tab.vision": {"en": "Vision (CNN)", "vi": "Thị giác (CNN)"},
    "vis.lesson": {
        "en": r"""
**Transfer learning** carries knowledge from a *source* task to a related *target* task. A CNN trained on ImageNet (1.28 million photos, 1,000 classes) has learned, layer by layer, to detect edges and colours, then textures, then parts of objects. Those detectors are useful far beyond ImageNet, so a new task can start from them instead of from random numbers: it needs **less data, fewer epochs and less compute**, and it overfits less. The gain is largest when the target data set is **small**, which the size sweep below measures.

**Popular pretrained vision models:** ResNet (residual connections), VGG (plain stacks of 3×3 convolutions), MobileNetV2 (light, for phones) and **EfficientNet** (depth, width and resolution scaled together: high accuracy for few parameters). This tab uses **EfficientNet-Lite0**: 4.65 M parameters, a stem, 16 inverted-residual (MBConv) blocks in 7 stages, a 1×1 head convolution to 1,280 channels, global average pooling and a linear classifier.

**Feature extraction vs fine-tuning:**
- **Feature extraction:** freeze the pretrained network and train only a new head on its 1,280 features. The frozen features never change, so they are computed **once** and cached. Little data, little compute, little risk of overfitting; but the features cannot adapt to a task that looks very different (here: grey digits instead of photos).
- **Fine-tuning the top blocks:** keep the early, general layers frozen and retrain the last blocks, the head convolution and the classifier (their inputs can be cached too).
- **Full fine-tuning:** every weight moves, with a small learning rate so that the pretrained knowledge is adjusted rather than erased (*catastrophic forgetting*). The most adaptable, and the most memory and time.
- **From scratch:** the same architecture with random weights: what the pretrained weights are worth, measured on the same images, batches and seed.

**Good habits (course II.B.3):** freeze the layers that hold general features; a **small learning rate** for pretrained weights and a larger one for a fresh head; **warmup** then a decaying schedule; **AdamW**. **BatchNorm** layers of frozen blocks stay in evaluation mode here: they keep using the ImageNet statistics, so a frozen block really does not change. Trainable blocks normalise with the statistics of each batch.
""",
        "vi": r"""
**Học chuyển giao (transfer learning)** mang kiến thức từ một tác vụ *nguồn* sang một tác vụ *đích* có liên quan. Một CNN được huấn luyện trên ImageNet (1,28 triệu ảnh, 1.000 lớp) đã học, qua từng lớp, cách phát hiện cạnh và màu sắc, rồi kết cấu bề mặt, rồi các bộ phận của vật thể. Những bộ phát hiện ấy hữu ích cả ngoài ImageNet, nên một tác vụ mới có thể bắt đầu từ chúng thay vì từ các số ngẫu nhiên: cần **ít dữ liệu hơn, ít epoch hơn, ít tính toán hơn**, và ít bị quá khớp hơn. Lợi ích lớn nhất khi tập dữ liệu đích **nhỏ**, điều mà phép quét kích thước bên dưới đo được.

**Các mô hình thị giác tiền huấn luyện phổ biến:** ResNet (kết nối phần dư), VGG (chồng các tích chập 3×3 đơn giản), MobileNetV2 (nhẹ, cho điện thoại) và **EfficientNet** (co giãn đồng thời độ sâu, độ rộng và độ phân giải: chính xác cao với ít tham số). Thẻ này dùng **EfficientNet-Lite0**: 4,65 triệu tham số, một lớp gốc (stem), 16 khối phần dư đảo ngược (MBConv) trong 7 giai đoạn, một tích chập 1×1 ra 1.280 kênh, gộp trung bình toàn cục và một bộ phân loại tuyến tính.

**Trích xuất đặc trưng so với tinh chỉnh:**
- **Trích xuất đặc trưng:** đóng băng mạng tiền huấn luyện và chỉ huấn luyện một đầu phân loại mới trên 1.280 đặc trưng của nó. Đặc trưng đã đóng băng không bao giờ đổi nên được tính **một lần** rồi lưu lại. Cần ít dữ liệu, ít tính toán, ít nguy cơ quá khớp; nhưng đặc trưng không thể thích nghi với một tác vụ trông rất khác (ở đây: chữ số xám thay vì ảnh chụp).
- **Tinh chỉnh các khối trên cùng:** giữ nguyên các lớp đầu (đặc trưng chung) và huấn luyện lại vài khối cuối, tích chập đầu ra và bộ phân loại (đầu vào của chúng cũng lưu lại được).
- **Tinh chỉnh toàn bộ:** mọi trọng số đều thay đổi, với tốc độ học nhỏ để kiến thức tiền huấn luyện được điều chỉnh chứ không bị xóa (*quên lãng thảm khốc*). Linh hoạt nhất, nhưng tốn bộ nhớ và thời gian nhất.
- **Huấn luyện từ đầu:** cùng kiến trúc nhưng trọng số ngẫu nhiên: đo giá trị của trọng số tiền huấn luyện trên cùng ảnh, cùng các lô và cùng seed.

**Thói quen tốt (giáo trình II.B.3):** đóng băng các lớp giữ đặc trưng chung; **tốc độ học nhỏ** cho trọng số tiền huấn luyện và lớn hơn cho đầu phân loại mới; **khởi động (warmup)** rồi giảm dần theo lịch trình; **AdamW**. Ở đây các lớp **BatchNorm** của khối bị đóng băng giữ chế độ đánh giá: chúng tiếp tục dùng thống kê của ImageNet, nên khối đóng băng thật sự không đổi. Các khối được huấn luyện thì chuẩn hóa bằng thống kê của từng lô.
""",
    },
    # ---------------------------------------------------------------- what the CNN knows
    "vis.know.title": {"en": "### 1. What the pretrained CNN already knows",
                       "vi": "### 1. Mạng CNN tiền huấn luyện đã biết gì"},
    "vis.image": {"en": "Image (upload, paste or draw)", "vi": "Ảnh (tải lên, dán hoặc vẽ)"},
    "vis.image_id": {"en": "image", "vi": "ảnh"},
    "vis.image_ph": {"en": "Upload or paste an image", "vi": "Tải lên hoặc dán ảnh"},
    "vis.stage.stem": {"en": "stem (first conv.)", "vi": "lớp gốc (tích chập 1)"},
    **{f"vis.stage.stage{i}": {"en": f"stage {i}", "vi": f"giai đoạn {i}"} for i in range(1, 8)},
    "vis.stage.head": {"en": "head (1,280 channels)", "vi": "đầu ra (1.280 kênh)"},
    "vis.sample": {"en": "Sample photos (shipped offline)", "vi": "Ảnh mẫu (có sẵn, không cần mạng)"},
    "vis.sample.cat": {"en": "Cat", "vi": "Mèo"},
    "vis.sample.coffee": {"en": "Coffee", "vi": "Cà phê"},
    "vis.sample.astronaut": {"en": "Astronaut", "vi": "Phi hành gia"},
    "vis.sample.rocket": {"en": "Rocket", "vi": "Tên lửa"},
    "vis.sample.flower": {"en": "Flower", "vi": "Bông hoa"},
    "vis.sample.china": {"en": "Temple", "vi": "Ngôi chùa"},
    "vis.stage": {"en": "Stage for feature maps and Grad-CAM", "vi": "Giai đoạn cho bản đồ đặc trưng và Grad-CAM"},
    "vis.stage_info": {"en": "Early stages: edges and colours, fine grid. Late stages: object parts, coarse grid.",
                       "vi": "Giai đoạn đầu: cạnh và màu, lưới mịn. Giai đoạn cuối: bộ phận vật thể, lưới thô."},
    "vis.analyse": {"en": "Analyse the image", "vi": "Phân tích ảnh"},
    "vis.fig.top5": {"en": "Top-5 ImageNet classes", "vi": "5 lớp ImageNet đứng đầu (tên tiếng Anh của ImageNet)"},
    "vis.fig.prob": {"en": "probability", "vi": "xác suất"},
    "vis.cam": {"en": "Grad-CAM of the top class", "vi": "Grad-CAM của lớp đứng đầu"},
    "vis.maps": {"en": "The 16 most active feature maps", "vi": "16 bản đồ đặc trưng hoạt động mạnh nhất"},
    "vis.info": {
        "en": "Top class **{name}** ({p:.1%}, ImageNet index {idx}). Grad-CAM at *{stage}* on its {h}×{w} grid: "
              "red = regions that raise this class's score. Feature maps: {n} channels of {stage}, each scaled to "
              "its own range. The network sees a {size}×{size} centre crop. {load}",
        "vi": "Lớp đứng đầu **{name}** ({p:.1%}, chỉ số ImageNet {idx}; tên lớp là tên tiếng Anh gốc của ImageNet). Grad-CAM tại *{stage}* trên lưới {h}×{w}: "
              "màu đỏ = vùng làm tăng điểm của lớp này. Bản đồ đặc trưng: {n} kênh của {stage}, mỗi kênh chuẩn hóa "
              "theo khoảng giá trị riêng. Mạng nhìn thấy phần giữa ảnh cỡ {size}×{size}. {load}"},
    "vis.loaded": {"en": "(Model loaded in {s:.1f} s from the {source}.)", "vi": "(Đã nạp mô hình trong {s:.1f} giây từ {source}.)"},
    "vis.source.package": {"en": "package", "vi": "gói cài đặt"},
    "vis.source.cache": {"en": "cache", "vi": "bộ nhớ đệm"},
    "vis.image_title": {"en": "**Image** (upload, paste or draw)", "vi": "**Ảnh** (tải lên, dán hoặc vẽ)"},
    "vis.cam_title": {"en": "**Grad-CAM of the top class**", "vi": "**Grad-CAM của lớp đứng đầu**"},
    "vis.maps_title": {"en": "**The 16 most active feature maps**", "vi": "**16 bản đồ đặc trưng hoạt động mạnh nhất**"},
    "vis.err.sample": {"en": "No sample photo is called {name}: pick one of {names}.",
                       "vi": "Không có ảnh mẫu nào tên {name}: hãy chọn một trong {names}."},
    "vis.err.no_image": {"en": "Upload, paste or draw an image first, or pick a sample photo.",
                         "vi": "Hãy tải lên, dán hoặc vẽ một ảnh trước, hoặc chọn một ảnh mẫu."},
    # ---------------------------------------------------------------- the race
    "vis.race.title": {"en": "### 2. Transfer it: a race on a small labelled image set",
                       "vi": "### 2. Chuyển giao: cuộc đua trên một tập ảnh có nhãn nhỏ"},
    "vis.race.note": {
        "en": "Every strategy trains on the same images, batches and seed. 0 in a box means the device default: "
              "on a CPU 40 images per class at 48×48 pixels (the race takes about a minute or two), on a GPU 200 "
              "per class at 224×224.",
        "vi": "Mọi chiến lược huấn luyện trên cùng ảnh, cùng các lô và cùng seed. Số 0 trong một ô nghĩa là mặc định "
              "theo thiết bị: trên CPU 40 ảnh mỗi lớp ở 48×48 điểm ảnh (cuộc đua mất khoảng một hai phút), trên GPU "
              "200 ảnh mỗi lớp ở 224×224."},
    "vis.data": {"en": "Data set", "vi": "Tập dữ liệu"},
    "vis.data.mnist": {"en": "MNIST digits", "vi": "Chữ số MNIST"},
    "vis.data.fashion": {"en": "Fashion-MNIST", "vi": "Fashion-MNIST"},
    "vis.strategies": {"en": "Strategies to race", "vi": "Các chiến lược thi đấu"},
    "vis.s.from_scratch": {"en": "From scratch (random weights)", "vi": "Từ đầu (trọng số ngẫu nhiên)"},
    "vis.s.feature_extraction": {"en": "Feature extraction (linear head)",
                                 "vi": "Trích xuất đặc trưng (đầu tuyến tính)"},
    "vis.s.top_blocks": {"en": "Fine-tune the top blocks", "vi": "Tinh chỉnh các khối trên cùng"},
    "vis.s.full": {"en": "Full fine-tuning", "vi": "Tinh chỉnh toàn bộ"},
    "vis.per_class": {"en": "Training images per class (0 = device default)",
                      "vi": "Số ảnh huấn luyện mỗi lớp (0 = mặc định theo thiết bị)"},
    "vis.test_per_class": {"en": "Test images per class (0 = default)", "vi": "Số ảnh kiểm tra mỗi lớp (0 = mặc định)"},
    "vis.resolution": {"en": "Resolution in pixels (0 = default)", "vi": "Độ phân giải, điểm ảnh (0 = mặc định)"},
    "vis.batch_size": {"en": "Batch size", "vi": "Kích thước lô"},
    "vis.augment": {"en": "Augmentation (small random rotations, zooms, shifts)",
                    "vi": "Tăng cường dữ liệu (xoay, phóng, dịch nhỏ ngẫu nhiên)"},
    "vis.top_blocks": {"en": "Blocks trained by 'top blocks' (of 16)", "vi": "Số khối được huấn luyện ở 'khối trên cùng' (trên 16)"},
    "vis.weight_decay": {"en": "Weight decay", "vi": "Suy giảm trọng số"},
    "vis.warmup": {"en": "Warmup (fraction of steps)", "vi": "Khởi động (tỉ lệ số bước)"},
    "vis.schedule": {"en": "Schedule after warmup", "vi": "Lịch trình sau khởi động"},
    "vis.seed": {"en": "Seed", "vi": "Seed"},
    "vis.evals": {"en": "Test evaluations per strategy", "vi": "Số lần đánh giá trên tập kiểm tra mỗi chiến lược"},
    "vis.per_strategy": {"en": "Learning rate and epochs per strategy (0 = its default)",
                         "vi": "Tốc độ học và số epoch cho từng chiến lược (0 = mặc định của nó)"},
    "vis.lr": {"en": "learning rate: {name}", "vi": "tốc độ học: {name}"},
    "vis.epochs": {"en": "epochs: {name}", "vi": "số epoch: {name}"},
    "vis.settings": {"en": "Training settings", "vi": "Thiết lập huấn luyện"},
    "vis.fig.loss": {"en": "Training loss", "vi": "Hàm mất mát khi huấn luyện"},
    "vis.fig.acc": {"en": "Test accuracy", "vi": "Độ chính xác trên tập kiểm tra"},
    "vis.fig.epoch": {"en": "epoch", "vi": "epoch"},
    "vis.results": {"en": "Results (every figure measured)", "vi": "Kết quả (mọi con số đều được đo)"},
    "vis.col.strategy": {"en": "strategy", "vi": "chiến lược"},
    "vis.col.trainable": {"en": "trainable params", "vi": "tham số huấn luyện"},
    "vis.col.pct": {"en": "% trainable", "vi": "% huấn luyện"},
    "vis.col.acc": {"en": "test accuracy %", "vi": "độ chính xác kiểm tra %"},
    "vis.col.mem": {"en": "peak memory (MB)", "vi": "bộ nhớ đỉnh (MB)"},
    "vis.col.ips": {"en": "images/s", "vi": "ảnh/giây"},
    "vis.col.train_s": {"en": "training s", "vi": "giây huấn luyện"},
    "vis.col.wall_s": {"en": "wall s", "vi": "giây tổng"},
    "vis.col.cached": {"en": "frozen part cached", "vi": "lưu sẵn phần đóng băng"},
    "vis.col.lr": {"en": "learning rate", "vi": "tốc độ học"},
    "vis.col.epochs": {"en": "epochs", "vi": "số epoch"},
    "vis.yes": {"en": "yes", "vi": "có"},
    "vis.no": {"en": "no", "vi": "không"},
    "vis.mem_note": {
        "en": "Peak memory: on a GPU the allocator's maximum; on a CPU the process's resident-memory peak above its "
              "level at the start (sampled every 5 ms; other work in the process adds to it). Images/s counts "
              "training images per second of training, the caching pass included.",
        "vi": "Bộ nhớ đỉnh: trên GPU là mức cấp phát tối đa; trên CPU là đỉnh bộ nhớ thường trú của tiến trình so "
              "với lúc bắt đầu (lấy mẫu mỗi 5 ms; công việc khác trong tiến trình cũng cộng vào). Ảnh/giây đếm số "
              "ảnh huấn luyện mỗi giây huấn luyện, kể cả lượt tính trước phần đóng băng."},
    "vis.where": {"en": "{name} ({i} of {n}): step {step} of {total}{acc}",
                  "vi": "{name} ({i}/{n}): bước {step}/{total}{acc}"},
    "vis.where.acc": {"en": ", test accuracy {acc:.1%}", "vi": ", độ chính xác kiểm tra {acc:.1%}"},
    "vis.where.setup": {"en": "{name} ({i} of {n}): building the model", "vi": "{name} ({i}/{n}): đang dựng mô hình"},
    "vis.where.features": {"en": "{name} ({i} of {n}): frozen part computed once",
                           "vi": "{name} ({i}/{n}): đã tính một lần phần đóng băng"},
    "vis.where.done": {"en": "{k} of {n} strategies finished, best: {best} ({acc:.1%})",
                       "vi": "xong {k}/{n} chiến lược, tốt nhất: {best} ({acc:.1%})"},
    # ---------------------------------------------------------------- the sweep
    "vis.sweep.title": {"en": "### 3. Does pretraining need less data? Accuracy against training-set size",
                        "vi": "### 3. Tiền huấn luyện có cần ít dữ liệu hơn? Độ chính xác theo kích thước tập huấn luyện"},
    "vis.sweep.note": {
        "en": "Each size trains the chosen strategies again on a larger subset (the test images stay the same). "
              "The settings above apply.",
        "vi": "Mỗi kích thước huấn luyện lại các chiến lược đã chọn trên một tập con lớn hơn (ảnh kiểm tra giữ "
              "nguyên). Các thiết lập ở trên được áp dụng."},
    "vis.sizes": {"en": "Training images per class", "vi": "Số ảnh huấn luyện mỗi lớp"},
    "vis.sweep_strategies": {"en": "Strategies compared", "vi": "Các chiến lược so sánh"},
    "vis.fig.sweep": {"en": "Test accuracy against training images per class",
                      "vi": "Độ chính xác kiểm tra theo số ảnh huấn luyện mỗi lớp"},
    "vis.fig.per_class": {"en": "training images per class", "vi": "số ảnh huấn luyện mỗi lớp"},
    "vis.sweep.where": {"en": "size {size} per class, {name}: step {step} of {total}",
                        "vi": "kích thước {size} mỗi lớp, {name}: bước {step}/{total}"},
    "vis.sweep.where_done": {"en": "{k} of {n} runs finished", "vi": "xong {k}/{n} lần chạy"},
    "vis.err.no_strategy": {"en": "Choose at least one strategy.", "vi": "Hãy chọn ít nhất một chiến lược."},
    "vis.err.no_size": {"en": "Choose at least one training-set size.", "vi": "Hãy chọn ít nhất một kích thước tập huấn luyện."},
}

# one label per strategy for its learning rate and its epochs (fields lr_<name> / epochs_<name>)
for _s in ("from_scratch", "feature_extraction", "top_blocks", "full"):
    _name = STRINGS[f"vis.s.{_s}"]
    STRINGS[f"vis.lr_{_s}"] = {"en": f"Learning rate: {_name['en']}", "vi": f"Tốc độ học: {_name['vi']}"}
    STRINGS[f"vis.epochs_{_s}"] = {"en": f"Epochs: {_name['en']}", "vi": f"Số epoch: {_name['vi']}"}
