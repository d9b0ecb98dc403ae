STRINGS = {
    "tab.vae": {"en": "VAE Explorer", "vi": "Khám phá VAE"},
    "vae.lesson": {
        "en": r"""### Variational autoencoders (VAE)
A VAE is a **generative model**: it learns a smooth, continuous latent space $z$ from which new data can be drawn.

- **Encoder–decoder.** Like a plain autoencoder, an encoder compresses an image $x$ into a low-dimensional code and a decoder rebuilds the image from it.
- **Probabilistic encoder.** Instead of one point, the encoder (the *recognition model*) outputs the parameters of a Gaussian $q(z\mid x)=\mathcal N(\mu,\sigma^2)$: a mean $\mu$ and a standard deviation $\sigma$ for every latent dimension.
- **Reparameterization trick.** To sample $z$ and still back-propagate, write $z=\mu+\sigma\cdot\varepsilon$ with $\varepsilon\sim\mathcal N(0,I)$: the randomness becomes an input, so gradients reach $\mu$ and $\sigma$.
- **Decoder (generative model).** Turns a sampled $z$ back into an image, here Bernoulli pixel probabilities $p(x\mid z)$.
- **Loss.** Maximise the ELBO $=\mathbb E_q[\log p(x\mid z)]-\mathrm{KL}(q(z\mid x)\,\|\,\mathcal N(0,I))$, i.e. minimise *reconstruction loss* (binary cross-entropy summed over pixels) **+** the *KL term*, which pulls every $q(z\mid x)$ towards the prior and keeps the latent space smooth and gap-free. With a weight $\beta$ on the KL you get the β-VAE: larger $\beta$, smoother map, blurrier images.

**Applications:** image generation, **anomaly detection** (inputs unlike the training data are reconstructed badly), compression, representation learning, text generation, drug discovery.

**Try:** walk the latent map (click a cell), watch z = μ + σ·ε change with a new ε, interpolate between two digits, compare with a plain autoencoder's uneven map, and flag Fashion-MNIST images or a held-out digit as anomalies.""",
        "vi": r"""### Bộ tự mã hóa biến đổi (VAE)
VAE là một **mô hình sinh**: nó học một không gian ẩn $z$ liên tục và trơn, từ đó có thể lấy mẫu để tạo dữ liệu mới.

- **Mã hóa – giải mã.** Giống bộ tự mã hóa thông thường, bộ mã hóa nén ảnh $x$ thành một mã ít chiều và bộ giải mã dựng lại ảnh từ mã đó.
- **Bộ mã hóa xác suất.** Thay vì một điểm, bộ mã hóa (*mô hình nhận dạng*) cho ra tham số của một phân phối Gauss $q(z\mid x)=\mathcal N(\mu,\sigma^2)$: trung bình $\mu$ và độ lệch chuẩn $\sigma$ cho từng chiều ẩn.
- **Thủ thuật tái tham số hóa.** Để lấy mẫu $z$ mà vẫn lan truyền ngược được, ta viết $z=\mu+\sigma\cdot\varepsilon$ với $\varepsilon\sim\mathcal N(0,I)$: phần ngẫu nhiên trở thành một đầu vào, nên gradient đi tới được $\mu$ và $\sigma$.
- **Bộ giải mã (mô hình sinh).** Biến một $z$ đã lấy mẫu trở lại thành ảnh, ở đây là xác suất Bernoulli của từng điểm ảnh $p(x\mid z)$.
- **Hàm mất mát.** Cực đại hóa ELBO $=\mathbb E_q[\log p(x\mid z)]-\mathrm{KL}(q(z\mid x)\,\|\,\mathcal N(0,I))$, tức là cực tiểu *mất mát tái tạo* (entropy chéo nhị phân cộng trên mọi điểm ảnh) **+** *thành phần KL*, kéo mọi $q(z\mid x)$ về phân phối tiên nghiệm và giữ cho không gian ẩn trơn, không có lỗ hổng. Nhân KL với trọng số $\beta$ ta được β-VAE: $\beta$ càng lớn, bản đồ càng trơn nhưng ảnh càng mờ.

**Ứng dụng:** tạo ảnh, **phát hiện bất thường** (đầu vào khác dữ liệu huấn luyện sẽ được tái tạo kém), nén dữ liệu, học biểu diễn, sinh văn bản, khám phá thuốc.

**Thử:** đi dạo trên bản đồ ẩn (bấm vào một ô), xem z = μ + σ·ε thay đổi khi rút ε mới, nội suy giữa hai chữ số, so sánh với bản đồ không đều của bộ tự mã hóa thường, và đánh dấu ảnh Fashion-MNIST hoặc một chữ số bị giữ lại là bất thường.""",
    },
    "vae.data": {"en": "Data set", "vi": "Tập dữ liệu"},
    "vae.data_info": {"en": "MNIST: 5,000 digits 28×28; digits: 1,797 images 8×8 (fastest)",
                      "vi": "MNIST: 5.000 chữ số 28×28; digits: 1.797 ảnh 8×8 (nhanh nhất)"},
    "vae.arch": {"en": "Encoder / decoder", "vi": "Bộ mã hóa / giải mã"},
    "vae.arch.mlp": {"en": "MLP", "vi": "MLP (kết nối đầy đủ)"},
    "vae.arch.conv": {"en": "Small CNN", "vi": "CNN nhỏ"},
    "vae.latent": {"en": "Latent size", "vi": "Số chiều ẩn"},
    "vae.latent_info": {"en": "2 makes the latent plane the map", "vi": "Với 2 chiều, mặt phẳng ẩn chính là bản đồ"},
    "vae.beta": {"en": "β (KL weight)", "vi": "β (trọng số KL)"},
    "vae.beta_info": {"en": "1 = VAE; >1 smoother map, blurrier images (β-VAE); 0 = no KL",
                      "vi": "1 = VAE; >1 bản đồ trơn hơn, ảnh mờ hơn (β-VAE); 0 = bỏ KL"},
    "vae.epochs": {"en": "Epochs", "vi": "Số epoch"},
    "vae.hidden": {"en": "Hidden width", "vi": "Độ rộng lớp ẩn"},
    "vae.lr": {"en": "Learning rate", "vi": "Tốc độ học"},
    "vae.batch": {"en": "Batch size", "vi": "Kích thước batch"},
    "vae.reset": {"en": "Back to the pretrained model", "vi": "Quay lại mô hình đã huấn luyện sẵn"},
    "vae.status.pretrained": {
        "en": "Pretrained model loaded (default settings, {epochs} epochs): test ELBO {elbo:.1f} nats per image.",
        "vi": "Đã nạp mô hình huấn luyện sẵn (cài đặt mặc định, {epochs} epoch): ELBO trên tập kiểm tra {elbo:.1f} nat mỗi ảnh."},
    "vae.curves_title": {"en": "Loss terms per epoch", "vi": "Các thành phần mất mát theo epoch"},
    "vae.curve.recon": {"en": "reconstruction (train)", "vi": "tái tạo (huấn luyện)"},
    "vae.curve.kl": {"en": "KL (train, right axis)", "vi": "KL (huấn luyện, trục phải)"},
    "vae.curve.test_nelbo": {"en": "−ELBO = recon + KL (test)", "vi": "−ELBO = tái tạo + KL (kiểm tra)"},
    "vae.epoch": {"en": "epoch", "vi": "epoch"},
    "vae.nats": {"en": "nats per image", "vi": "nat mỗi ảnh"},
    "vae.kl_axis": {"en": "KL (nats)", "vi": "KL (nat)"},
    "vae.curves_help": {
        "en": "The optimiser minimises reconstruction + β·KL. Raise β and train again: KL falls, reconstruction rises, the map gets smoother.",
        "vi": "Bộ tối ưu cực tiểu hóa tái tạo + β·KL. Tăng β rồi huấn luyện lại: KL giảm, mất mát tái tạo tăng, bản đồ trơn hơn."},
    "vae.map_heading": {"en": "### Latent map: every cell is decode(z)", "vi": "### Bản đồ ẩn: mỗi ô là decode(z)"},
    "vae.grid": {"en": "Decoded grid (click a cell)", "vi": "Lưới giải mã (bấm vào một ô)"},
    "vae.cell": {"en": "Chosen cell", "vi": "Ô đã chọn"},
    "vae.cell_hint": {"en": "Click a cell of the grid to see its image large.",
                      "vi": "Bấm vào một ô của lưới để xem ảnh phóng to."},
    "vae.cell_info": {"en": "Row {row}, column {col}: z = ({z})", "vi": "Hàng {row}, cột {col}: z = ({z})"},
    "vae.cell_border": {"en": "That was a border between cells: click inside one.",
                        "vi": "Đó là đường viền giữa các ô: hãy bấm vào bên trong một ô."},
    "vae.grid_n": {"en": "Grid size N (N × N)", "vi": "Kích thước lưới N (N × N)"},
    "vae.lo": {"en": "z from", "vi": "z từ"},
    "vae.hi": {"en": "z to", "vi": "z đến"},
    "vae.mode": {"en": "Plane (latent size > 2)", "vi": "Mặt phẳng (khi số chiều ẩn > 2)"},
    "vae.mode.dims": {"en": "two chosen dimensions", "vi": "hai chiều được chọn"},
    "vae.mode.pca": {"en": "first two principal components", "vi": "hai thành phần chính đầu tiên"},
    "vae.dim_x": {"en": "Horizontal dimension", "vi": "Chiều ngang"},
    "vae.dim_y": {"en": "Vertical dimension", "vi": "Chiều dọc"},
    "vae.redraw": {"en": "Redraw map", "vi": "Vẽ lại bản đồ"},
    "vae.scatter_title": {"en": "Posterior means μ of the test set, with 1σ ellipses for 40 points",
                          "vi": "Trung bình hậu nghiệm μ của tập kiểm tra, kèm elip 1σ cho 40 điểm"},
    "vae.ae_scatter_title": {"en": "Autoencoder codes of the test set", "vi": "Mã của bộ tự mã hóa cho tập kiểm tra"},
    "vae.sigma_ellipse": {"en": "μ ± σ", "vi": "μ ± σ"},
    "vae.reparam": {"en": "Reparameterization trick: z = μ + σ·ε", "vi": "Thủ thuật tái tham số hóa: z = μ + σ·ε"},
    "vae.reparam_help": {
        "en": "Pick a test image. The encoder gives μ and σ; ε is drawn from N(0, I); z = μ + σ·ε is what the decoder sees during training. Draw a new ε to see z move inside the ellipse.",
        "vi": "Chọn một ảnh kiểm tra. Bộ mã hóa cho μ và σ; ε được rút từ N(0, I); z = μ + σ·ε là thứ bộ giải mã nhận khi huấn luyện. Rút ε mới để thấy z di chuyển trong elip."},
    "vae.image_index": {"en": "Test image #", "vi": "Ảnh kiểm tra số"},
    "vae.image_index_info": {"en": "type a number and press Enter", "vi": "gõ một số rồi nhấn Enter"},
    "vae.eps_seed": {"en": "ε seed", "vi": "Seed của ε"},
    "vae.draw_eps": {"en": "Draw a new ε", "vi": "Rút ε mới"},
    "vae.reparam_images": {"en": "input · decode(μ) · decode(z)", "vi": "đầu vào · decode(μ) · decode(z)"},
    "vae.reparam_caption": {"en": "Input: class **{label}**.", "vi": "Đầu vào: lớp **{label}**."},
    "vae.reparam_plot": {"en": "q(z|x) in the first two dimensions", "vi": "q(z|x) trên hai chiều đầu tiên"},
    "vae.prior_centre": {"en": "prior centre (0, 0)", "vi": "tâm tiên nghiệm (0, 0)"},
    "vae.interp": {"en": "Interpolation through latent space", "vi": "Nội suy qua không gian ẩn"},
    "vae.image_a": {"en": "Image A (test #)", "vi": "Ảnh A (số thứ tự kiểm tra)"},
    "vae.image_b": {"en": "Image B (test #)", "vi": "Ảnh B (số thứ tự kiểm tra)"},
    "vae.steps": {"en": "Steps", "vi": "Số bước"},
    "vae.interp_strip": {"en": "A · decode((1−t)·μ_A + t·μ_B) · B", "vi": "A · decode((1−t)·μ_A + t·μ_B) · B"},
    "vae.interp_caption": {"en": "From a **{a}** to a **{b}**: the originals at both ends, decoded points of the straight line between their μ in between.",
                           "vi": "Từ một **{a}** đến một **{b}**: ảnh gốc ở hai đầu, ở giữa là các điểm giải mã trên đoạn thẳng nối hai μ."},
    "vae.anomaly": {"en": "Anomaly detection", "vi": "Phát hiện bất thường"},
    "vae.anomaly_help": {
        "en": "A VAE trained on normal data reconstructs normal images well and unusual ones badly. Score each test image by its reconstruction error (or −ELBO) and flag scores above a threshold.",
        "vi": "VAE huấn luyện trên dữ liệu bình thường sẽ tái tạo tốt ảnh bình thường và tái tạo kém ảnh lạ. Chấm điểm mỗi ảnh kiểm tra bằng sai số tái tạo (hoặc −ELBO) rồi đánh dấu những ảnh có điểm vượt ngưỡng."},
    "vae.scenario": {"en": "Anomalies", "vi": "Dữ liệu bất thường"},
    "vae.scenario.other": {"en": "the other data set (Fashion-MNIST ↔ digits), current model",
                           "vi": "tập dữ liệu kia (Fashion-MNIST ↔ chữ số), mô hình hiện tại"},
    "vae.scenario.holdout": {"en": "one class held out (trains a second model)",
                             "vi": "giữ lại một lớp (huấn luyện mô hình thứ hai)"},
    "vae.holdout": {"en": "Held-out class", "vi": "Lớp bị giữ lại"},
    "vae.score": {"en": "Score", "vi": "Điểm"},
    "vae.score.recon": {"en": "reconstruction error −log p(x|μ)", "vi": "sai số tái tạo −log p(x|μ)"},
    "vae.score.elbo": {"en": "−ELBO (recon + KL)", "vi": "−ELBO (tái tạo + KL)"},
    "vae.anomaly_run": {"en": "Run anomaly detection", "vi": "Chạy phát hiện bất thường"},
    "vae.threshold": {"en": "Threshold (scores above it are flagged)", "vi": "Ngưỡng (điểm lớn hơn sẽ bị đánh dấu)"},
    "vae.threshold_note": {
        "en": "Threshold {thr:.1f}: {tp:.1f} % of anomalies caught, {fp:.1f} % of normal images falsely flagged. AUC = **{auc:.3f}**.",
        "vi": "Ngưỡng {thr:.1f}: bắt được {tp:.1f} % ảnh bất thường, báo nhầm {fp:.1f} % ảnh bình thường. AUC = **{auc:.3f}**."},
    "vae.hist_title": {"en": "Score histograms · {desc}", "vi": "Biểu đồ tần suất điểm · {desc}"},
    "vae.normal": {"en": "normal", "vi": "bình thường"},
    "vae.anomalous": {"en": "anomalous", "vi": "bất thường"},
    "vae.chance": {"en": "chance", "vi": "ngẫu nhiên"},
    "vae.at_threshold": {"en": "at the threshold", "vi": "tại ngưỡng"},
    "vae.fpr": {"en": "false-positive rate", "vi": "tỉ lệ dương tính giả"},
    "vae.tpr": {"en": "true-positive rate", "vi": "tỉ lệ dương tính thật"},
    "vae.compare": {"en": "Why the KL term matters: plain autoencoder vs VAE", "vi": "Vì sao cần thành phần KL: bộ tự mã hóa thường và VAE"},
    "vae.compare_help": {
        "en": "Same network, same data; the autoencoder has no sampling and no KL. The first two grids each cover the box holding 98 % of their model's test codes. Nothing tells the autoencoder where to put its codes: they spread over tens of units, unevenly, so its grid jumps from one digit to the next and can skip whole classes (with the shipped model, look for the 2s and 4s). Those are squeezed into a small area in the middle: the third grid zooms into z ∈ [−3, 3], the range the VAE's prior N(0, I) samples from, and finds them there, with blurry blends between them. The KL term makes the VAE use that range evenly, so every class gets room and a random z ~ N(0, I) decodes to a digit.",
        "vi": "Cùng mạng, cùng dữ liệu; bộ tự mã hóa không lấy mẫu và không có KL. Hai lưới đầu mỗi lưới phủ vùng chứa 98 % mã của tập kiểm tra của mô hình đó. Không có gì bảo bộ tự mã hóa phải đặt mã ở đâu: mã trải ra hàng chục đơn vị và không đều, nên lưới của nó nhảy cóc từ chữ số này sang chữ số khác và có thể bỏ sót cả một lớp (với mô hình có sẵn, hãy tìm các số 2 và 4). Các lớp đó bị dồn vào một vùng nhỏ ở giữa: lưới thứ ba phóng to vùng z ∈ [−3, 3], chính là khoảng mà phân phối tiên nghiệm N(0, I) của VAE lấy mẫu, và tìm thấy chúng ở đó, xen giữa là những hình pha trộn nhòe. Thành phần KL buộc VAE dùng khoảng đó một cách đồng đều, nên lớp nào cũng có chỗ và một z ngẫu nhiên ~ N(0, I) giải mã ra một chữ số."},
    "vae.compare_vae": {"en": "VAE latent grid", "vi": "Lưới ẩn của VAE"},
    "vae.compare_ae": {"en": "Autoencoder latent grid", "vi": "Lưới ẩn của bộ tự mã hóa"},
    "vae.ae_train": {"en": "Train the autoencoder", "vi": "Huấn luyện bộ tự mã hóa"},
    "vae.ae_missing": {"en": "No autoencoder for these settings yet: press “Train the autoencoder”.",
                       "vi": "Chưa có bộ tự mã hóa cho cài đặt này: hãy bấm “Huấn luyện bộ tự mã hóa”."},
    "vae.err.data": {"en": "Data set {name!r} is not available here; choose MNIST or digits.",
                     "vi": "Tập dữ liệu {name!r} không có ở đây; hãy chọn MNIST hoặc digits."},
    "vae.err.dims": {"en": "Choose two different latent dimensions between 0 and {hi}.",
                     "vi": "Hãy chọn hai chiều ẩn khác nhau trong khoảng 0 đến {hi}."},
    "vae.err.holdout": {"en": "Choose a held-out class from 0 to 9.", "vi": "Hãy chọn lớp bị giữ lại từ 0 đến 9."},
    "vae.err.no_fashion": {"en": "Fashion-MNIST is not installed: choose “one class held out”.",
                           "vi": "Chưa cài Fashion-MNIST: hãy chọn “giữ lại một lớp”."},
    "vae.err.no_anomaly": {"en": "Run anomaly detection first.", "vi": "Hãy chạy phát hiện bất thường trước."},
    "vae.where": {"en": "epoch {epoch} of {epochs} (update {step}) · recon {recon:.1f} · KL {kl:.2f} · ELBO {elbo:.1f} · {s:.1f} s of training",
                  "vi": "epoch {epoch}/{epochs} (lần cập nhật {step}) · tái tạo {recon:.1f} · KL {kl:.2f} · ELBO {elbo:.1f} · {s:.1f} s huấn luyện"},
    "vae.where_test": {"en": ". Test set: ELBO {elbo:.1f}, reconstruction {recon:.1f}, KL {kl:.2f} (nats per image).",
                       "vi": ". Tập kiểm tra: ELBO {elbo:.1f}, tái tạo {recon:.1f}, KL {kl:.2f} (nat mỗi ảnh)."},
    "vae.ae_where": {"en": "autoencoder, epoch {epoch} of {epochs} · recon {recon:.1f} · {s:.1f} s",
                     "vi": "bộ tự mã hóa, epoch {epoch}/{epochs} · tái tạo {recon:.1f} · {s:.1f} s"},
    "vae.anomaly_training": {"en": "training a model without class {digit}: epoch {epoch} of {epochs}",
                             "vi": "huấn luyện một mô hình không có lớp {digit}: epoch {epoch}/{epochs}"},
    "vae.anomaly_where_done": {"en": "AUC = {auc:.3f} ({desc})", "vi": "AUC = {auc:.3f} ({desc})"},
    "vae.compare_ae_zoom": {"en": "Autoencoder, zoomed into z ∈ [−3, 3]", "vi": "Bộ tự mã hóa, phóng to vùng z ∈ [−3, 3]"},
    "vae.compare_note": {
        "en": "VAE grid over z ∈ [{vlo:.2f}, {vhi:.2f}]; autoencoder grid over z ∈ [{alo:.2f}, {ahi:.2f}] (both: the box holding 98 % of the test codes); zoomed autoencoder grid over z ∈ [{wlo:.2f}, {whi:.2f}].",
        "vi": "Lưới VAE trên z ∈ [{vlo:.2f}, {vhi:.2f}]; lưới bộ tự mã hóa trên z ∈ [{alo:.2f}, {ahi:.2f}] (cả hai: vùng chứa 98 % mã của tập kiểm tra); lưới rộng của bộ tự mã hóa trên z ∈ [{wlo:.2f}, {whi:.2f}]."},
    "vae.no_fashion_note": {"en": "Fashion-MNIST is not installed here (`apt-get install dataset-fashion-mnist` as root, or `make run` as root, adds it), so only a held-out class can play the anomaly.",
                            "vi": "Máy này chưa cài Fashion-MNIST (chạy `apt-get install dataset-fashion-mnist` hoặc `make run` với quyền root để cài), nên chỉ có thể dùng một lớp bị giữ lại làm dữ liệu bất thường."},
    "vae.err.range": {"en": "The z range needs “z from” smaller than “z to” (low < high).",
                      "vi": "Khoảng z cần có “z từ” nhỏ hơn “z đến” (thấp < cao)."},
    "vae.err.no_grid": {"en": "The map is still being drawn: click again in a moment.",
                        "vi": "Bản đồ đang được vẽ: hãy bấm lại sau giây lát."},
    "vae.err.scenario": {"en": "Anomalies must be “other” (the other data set) or “holdout” (one class held out).",
                         "vi": "Dữ liệu bất thường phải là “other” (tập dữ liệu kia) hoặc “holdout” (giữ lại một lớp)."},
    "vae.err.score": {"en": "The score must be “recon” or “elbo”.", "vi": "Điểm phải là “recon” hoặc “elbo”."},
    "vae.err.threshold": {"en": "The threshold must be a number.", "vi": "Ngưỡng phải là một số."},
    # its film for slides
    "film.vae.title": {"en": "VAE · decoded latent grid during training",
                       "vi": "VAE · lưới giải mã từ không gian ẩn trong lúc huấn luyện"},
}
