STRINGS = {
    "tab.gan": {"en": "GAN", "vi": "GAN"},
    "gan.lesson": {
        "en": r"""
**Generative vs discriminative.** A *discriminative* model learns $p(y \mid x)$: where the boundary between classes lies (logistic regression, an SVM, an image classifier). A *generative* model learns how the data themselves are spread, $p(x)$ or $p(x, y)$, so it can **draw new samples** that look like the training data, and it can tell classes apart through Bayes' rule $p(y \mid x) \propto p(x \mid y)\,p(y)$. Generative models are usually trained without labels.

**A GAN is a game between two networks** (Goodfellow et al., 2014).
- The **generator** $G$ turns random noise $z \sim \mathcal N(0, I)$ into a sample $G(z)$. It wants the discriminator to take its fakes for real.
- The **discriminator** $D$ is a binary classifier: real training samples are its positives, $G$'s fakes its negatives.
- They play a minimax game: $\min_G \max_D \; \mathbb E_x[\log D(x)] + \mathbb E_z[\log(1 - D(G(z)))]$. Each training step does **(1) update D** (k times) and then **(2) update G** through the frozen $D$.

**What can go wrong, and what you can try here.**
- *Saturation:* early on $D$ wins easily, $\log(1 - D(G(z)))$ is flat and $G$ learns nothing. The **non-saturating** loss maximises $\log D(G(z))$ instead.
- *Mode collapse:* $G$ finds a few outputs that fool $D$ and ignores the rest of the data (on the ring: a few of the 8 blobs). The **mode collapse** preset shows it (on 8 of seeds 0-9 it ends with 1 or 2 of the 8 blobs); **least squares** and **WGAN-GP** (a critic with a gradient penalty) often help.
- *Chasing:* even once $G$ covers every mode, the two networks keep pushing each other, so $G$'s samples wobble around the modes from one step to the next and a mode can be dropped and found again. The **averaged generator** (a running average of $G$'s weights, Yazıcı et al., 2019) follows $G$ but smooths out that wobble; the default preset shows its samples (the losses stay those of $G$ itself), and lets both learning rates fall along a cosine so the game settles by the last step. Over seeds 0-9 the default ends with all 8 modes and at least 80% high-quality samples on 9 seeds; the same nets with constant rates (0.002, 4,000 steps) and $G$ itself shown did so on 1. Set the decay to 0 and the schedule to constant in "Networks and optimizer" to see the difference.
- The readout counts **modes covered** and the share of **high-quality** samples (within 3 standard deviations of a mode). For digits, a small classifier trained once on real digits says which classes the generator draws and how sure it is.

**Applications.** Realistic images (StyleGAN faces and scenes), super-resolution (SRGAN), synthetic data and data augmentation when real data are scarce or private, art, game content, medical imaging, speech and audio. The same power makes **deepfakes**: face swaps and fake voices that raise real ethical and legal questions.
""",
        "vi": r"""
**Mô hình sinh và mô hình phân biệt.** Mô hình *phân biệt* học $p(y \mid x)$: ranh giới giữa các lớp nằm ở đâu (hồi quy logistic, SVM, bộ phân loại ảnh). Mô hình *sinh* học cách chính dữ liệu phân bố, $p(x)$ hoặc $p(x, y)$, nên có thể **tạo ra mẫu mới** giống dữ liệu huấn luyện, và có thể phân biệt các lớp qua định lý Bayes $p(y \mid x) \propto p(x \mid y)\,p(y)$. Mô hình sinh thường được huấn luyện không cần nhãn.

**GAN là một trò chơi giữa hai mạng** (Goodfellow và cộng sự, 2014).
- **Bộ sinh** $G$ biến nhiễu ngẫu nhiên $z \sim \mathcal N(0, I)$ thành một mẫu $G(z)$. Nó muốn bộ phân biệt tưởng hàng giả của mình là thật.
- **Bộ phân biệt** $D$ là một bộ phân loại nhị phân: mẫu huấn luyện thật là lớp dương, hàng giả của $G$ là lớp âm.
- Hai mạng chơi trò minimax: $\min_G \max_D \; \mathbb E_x[\log D(x)] + \mathbb E_z[\log(1 - D(G(z)))]$. Mỗi bước huấn luyện gồm **(1) cập nhật D** (k lần) rồi **(2) cập nhật G** qua $D$ được giữ cố định.

**Những gì có thể trục trặc, và bạn có thể thử gì ở đây.**
- *Bão hòa:* lúc đầu $D$ thắng dễ dàng, $\log(1 - D(G(z)))$ gần như phẳng nên $G$ không học được gì. Hàm mất mát **không bão hòa** thay vào đó cực đại hóa $\log D(G(z))$.
- *Sụp đổ chế độ (mode collapse):* $G$ tìm được vài đầu ra lừa được $D$ và bỏ qua phần còn lại của dữ liệu (trên vòng tròn: chỉ vài trong 8 cụm). Cấu hình mẫu **sụp đổ chế độ** cho thấy hiện tượng này (với 8 trong 10 seed 0-9, nó kết thúc chỉ với 1 hoặc 2 trong 8 cụm); **bình phương tối thiểu** và **WGAN-GP** (bộ phê bình có phạt gradient) thường giúp ích.
- *Rượt đuổi:* ngay cả khi $G$ đã phủ mọi chế độ, hai mạng vẫn không ngừng đẩy nhau, nên mẫu của $G$ dao động quanh các cụm từ bước này sang bước khác, có khi bỏ mất một cụm rồi tìm lại. **Bộ sinh trung bình** (trung bình trượt các trọng số của $G$, Yazıcı và cộng sự, 2019) đi theo $G$ nhưng làm dịu dao động đó; cấu hình mặc định hiển thị mẫu của nó (đường mất mát vẫn là của chính $G$), và cho cả hai tốc độ học giảm dần theo đường cosin để trò chơi lắng xuống ở bước cuối. Với các seed 0-9, cấu hình mặc định kết thúc với đủ 8 chế độ và ít nhất 80% mẫu chất lượng cao ở 9 seed; cùng các mạng đó với tốc độ học không đổi (0,002, 4.000 bước) và hiển thị chính $G$ chỉ đạt được ở 1 seed. Đặt hệ số về 0 và lịch học về "không đổi" trong "Mạng và bộ tối ưu" để thấy sự khác biệt.
- Bảng đo đếm **số chế độ được phủ** và tỉ lệ mẫu **chất lượng cao** (nằm trong 3 độ lệch chuẩn quanh một chế độ). Với ảnh chữ số, một bộ phân loại nhỏ huấn luyện một lần trên chữ số thật cho biết bộ sinh vẽ được những lớp nào và chắc chắn đến đâu.

**Ứng dụng.** Ảnh chân thực (khuôn mặt, phong cảnh của StyleGAN), siêu phân giải (SRGAN), dữ liệu tổng hợp và tăng cường dữ liệu khi dữ liệu thật khan hiếm hoặc nhạy cảm, nghệ thuật, nội dung trò chơi, ảnh y tế, giọng nói và âm thanh. Chính sức mạnh đó tạo ra **deepfake**: hoán đổi khuôn mặt và giọng nói giả, đặt ra những câu hỏi đạo đức và pháp lý thực sự.
""",
    },
    # controls
    "gan.preset": {"en": "Preset", "vi": "Cấu hình mẫu"},
    "gan.preset_info": {"en": "Fills in every setting below; you can change them afterwards. Mode collapse: two D steps "
                              "per G step and a large network. Small steps, big batches: smoother curves, all 8 "
                              "modes on 5 of 10 seeds.",
                        "vi": "Điền sẵn mọi thiết lập bên dưới; bạn vẫn có thể sửa lại. Sụp đổ chế độ: hai bước D cho "
                              "mỗi bước G và mạng lớn. Bước nhỏ, lô lớn: đường cong mượt hơn, đủ 8 chế độ ở 5/10 seed."},
    "gan.preset.default": {"en": "Default: ring of 8", "vi": "Mặc định: vòng 8 cụm"},
    "gan.preset.mode_collapse": {"en": "Mode collapse", "vi": "Sụp đổ chế độ"},
    "gan.preset.stable": {"en": "Small steps, big batches", "vi": "Bước nhỏ, lô lớn"},
    "gan.preset.custom": {"en": "Custom (settings changed)", "vi": "Tùy chỉnh (đã đổi cài đặt)"},
    "gan.preset.mnist": {"en": "MNIST digits (28×28)", "vi": "Chữ số MNIST (28×28)"},
    "gan.preset.digits": {"en": "Small digits (8×8, fastest)", "vi": "Chữ số nhỏ (8×8, nhanh nhất)"},
    "gan.data": {"en": "Data", "vi": "Dữ liệu"},
    "gan.data.ring8": {"en": "Ring of 8 Gaussians", "vi": "Vòng 8 cụm Gauss"},
    "gan.data.grid25": {"en": "5×5 grid of Gaussians", "vi": "Lưới 5×5 cụm Gauss"},
    "gan.data.moons": {"en": "Two moons", "vi": "Hai nửa vầng trăng"},
    "gan.data.spiral": {"en": "Spiral", "vi": "Đường xoắn ốc"},
    "gan.data.mnist": {"en": "MNIST digits (5,000)", "vi": "Chữ số MNIST (5.000 ảnh)"},
    "gan.data.digits": {"en": "scikit-learn digits 8×8", "vi": "Chữ số 8×8 của scikit-learn"},
    "gan.data.fashion": {"en": "Fashion-MNIST", "vi": "Fashion-MNIST"},
    "gan.data.drawn_named": {"en": "drawn data ({n} points)", "vi": "dữ liệu tự vẽ ({n} điểm)"},
    "gan.loss": {"en": "Loss", "vi": "Hàm mất mát"},
    "gan.loss.minimax": {"en": "Original minimax", "vi": "Minimax gốc"},
    "gan.loss.ns": {"en": "Non-saturating", "vi": "Không bão hòa"},
    "gan.loss.lsgan": {"en": "Least squares", "vi": "Bình phương tối thiểu"},
    "gan.loss.wgan-gp": {"en": "WGAN-GP", "vi": "WGAN-GP"},
    "gan.optimizer": {"en": "Optimizer", "vi": "Bộ tối ưu"},
    "gan.lr_g": {"en": "Learning rate of G", "vi": "Tốc độ học của G"},
    "gan.lr_d": {"en": "Learning rate of D", "vi": "Tốc độ học của D"},
    "gan.lr_info": {"en": "Greater than 0, at most 1 (Adam on these small nets: 0.0002 to 0.003)",
                    "vi": "Lớn hơn 0, tối đa 1 (Adam với các mạng nhỏ này: 0,0002 đến 0,003)"},
    "gan.beta1": {"en": "Adam β1 (SGD: momentum)", "vi": "β1 của Adam (SGD: quán tính)"},
    "gan.beta2": {"en": "Adam β2", "vi": "β2 của Adam"},
    "gan.d_steps": {"en": "D steps per G step", "vi": "Số bước D cho mỗi bước G"},
    "gan.latent_dim": {"en": "Latent size (z)", "vi": "Kích thước không gian ẩn (z)"},
    "gan.width": {"en": "Width (units or channels)", "vi": "Độ rộng (số nơ-ron hoặc kênh)"},
    "gan.depth": {"en": "Depth (hidden layers, MLP)", "vi": "Độ sâu (số lớp ẩn, MLP)"},
    "gan.batch_size": {"en": "Batch size", "vi": "Kích thước lô"},
    "gan.arch": {"en": "Networks", "vi": "Kiến trúc mạng"},
    "gan.arch.mlp": {"en": "MLP", "vi": "MLP"},
    "gan.arch.dcgan": {"en": "DCGAN-style conv (images)", "vi": "Tích chập kiểu DCGAN (ảnh)"},
    "gan.decay": {"en": "Learning rates over the run", "vi": "Tốc độ học theo thời gian"},
    "gan.decay_info": {"en": "Both rates fall to a twentieth of their start by the last step",
                       "vi": "Cả hai tốc độ giảm còn một phần hai mươi giá trị ban đầu ở bước cuối"},
    "gan.decay.constant": {"en": "constant", "vi": "không đổi"},
    "gan.decay.linear": {"en": "linear decay", "vi": "giảm tuyến tính"},
    "gan.decay.cosine": {"en": "cosine decay", "vi": "giảm theo cosin"},
    "gan.ema": {"en": "Averaged generator (EMA decay)", "vi": "Bộ sinh trung bình (hệ số EMA)"},
    "gan.ema_info": {"en": "The samples shown come from a running average of G's weights over about 1 / (1 − decay) "
                           "steps; 0 shows G itself",
                     "vi": "Mẫu hiển thị lấy từ trung bình trượt các trọng số của G trên khoảng 1 / (1 − hệ số) "
                           "bước; 0 là hiển thị chính G"},
    "gan.gp_weight": {"en": "Gradient penalty λ (WGAN-GP)", "vi": "Hệ số phạt gradient λ (WGAN-GP)"},
    "gan.steps": {"en": "Steps (G updates)", "vi": "Số bước (lần cập nhật G)"},
    "gan.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên (seed)"},
    "gan.advanced": {"en": "Networks and optimizer", "vi": "Mạng và bộ tối ưu"},
    "gan.reset": {"en": "Reset", "vi": "Đặt lại"},
    "gan.export": {"en": "Prepare downloads", "vi": "Chuẩn bị tệp tải về"},
    "gan.files": {"en": "Generator (.safetensors) and loss history (.csv)",
                  "vi": "Bộ sinh (.safetensors) và lịch sử mất mát (.csv)"},
    # views
    "gan.fig.losses": {"en": "Losses", "vi": "Hàm mất mát"},
    "gan.fig.loss_d": {"en": "D loss", "vi": "Mất mát của D"},
    "gan.fig.loss_g": {"en": "G loss", "vi": "Mất mát của G"},
    "gan.fig.step": {"en": "step", "vi": "bước"},
    "gan.fig.d_out": {"en": "Mean D output: real vs fake", "vi": "Đầu ra trung bình của D: thật và giả"},
    "gan.fig.d_out_raw": {"en": "Critic score, real vs fake (not a probability)",
                          "vi": "Điểm bộ phê bình, thật và giả (không phải xác suất)"},
    "gan.fig.d_real": {"en": "D(real)", "vi": "D(thật)"},
    "gan.fig.d_fake": {"en": "D(fake)", "vi": "D(giả)"},
    "gan.fig.plane": {"en": "Real (grey), generated (orange),<br>D's output (background) · step {step}",
                      "vi": "Thật (xám), sinh ra (cam),<br>đầu ra của D (nền) · bước {step}"},
    "gan.fig.plane_avg": {"en": "Real (grey), averaged G's samples (orange),<br>D's output (background) · step {step}",
                          "vi": "Thật (xám), mẫu của G trung bình (cam),<br>đầu ra của D (nền) · bước {step}"},
    "gan.fig.real": {"en": "real", "vi": "thật"},
    "gan.fig.fake": {"en": "generated", "vi": "sinh ra"},
    "gan.fig.d_prob": {"en": "D(x)", "vi": "D(x)"},
    # readouts
    "gan.where": {
        "en": "step {step:,} · {rate:.0f} steps/s · {elapsed:.1f} s · G {pg:,} and D {pd:,} parameters · {device}",
        "vi": "bước {step:,} · {rate:.0f} bước/giây · {elapsed:.1f} giây · G {pg:,} và D {pd:,} tham số · {device}"},
    "gan.cov.real": {"en": " · the same classifier on real digits: {conf:.0%} confident",
                     "vi": " · cùng bộ phân loại trên chữ số thật: {conf:.0%} chắc chắn"},
    "gan.status.reset": {"en": "Reset: the model is gone. Press Start for a new run.",
                         "vi": "Đã đặt lại: mô hình đã bị xóa. Bấm Bắt đầu để chạy lần mới."},
    "gan.cov.toy": {
        "en": "**Modes covered: {covered} / {n}** · high-quality samples: **{hq:.0%}** (within 3σ of the nearest {what}; a mode counts when it gets at least {min} of {total} samples)",
        "vi": "**Số chế độ được phủ: {covered} / {n}** · mẫu chất lượng cao: **{hq:.0%}** (cách {what} gần nhất không quá 3σ; một chế độ được tính khi có ít nhất {min} trong {total} mẫu)"},
    "gan.cov.centre": {"en": "mode centre", "vi": "tâm cụm"},
    "gan.cov.curve": {"en": "point of the clean curve (8 arcs count as modes)",
                      "vi": "điểm trên đường cong gốc (8 cung được tính là 8 chế độ)"},
    "gan.cov.drawn": {"en": "drawn point (σ = 0.05; each colour is a mode, one colour is cut into up to 8 regions)",
                      "vi": "điểm đã vẽ (σ = 0,05; mỗi màu là một chế độ, một màu được chia thành tối đa 8 vùng)"},
    "gan.cov.images": {
        "en": "**Classes covered: {covered} / {n}** · confident samples (p ≥ {thr:.0%}): **{conf:.0%}** · mean confidence {mean:.0%} · per class: {per} (classifier: {acc:.1%} accuracy on held-out real digits)",
        "vi": "**Số lớp được phủ: {covered} / {n}** · mẫu được nhận ra chắc chắn (p ≥ {thr:.0%}): **{conf:.0%}** · độ tin cậy trung bình {mean:.0%} · theo lớp: {per} (bộ phân loại: độ chính xác {acc:.1%} trên chữ số thật để riêng)"},
    "gan.collapse_hint": {"en": "⚠️ Few modes hold most samples: this is **mode collapse**.",
                          "vi": "⚠️ Phần lớn mẫu dồn vào vài chế độ: đây là **sụp đổ chế độ**."},
    # errors
    "gan.err.dcgan_toy": {"en": "The DCGAN-style conv nets are for images; 2-D data use the MLP.",
                          "vi": "Mạng tích chập kiểu DCGAN chỉ dùng cho ảnh; dữ liệu 2 chiều dùng MLP."},
    "gan.data_no_fashion": {"en": "Fashion-MNIST is not installed here: `apt-get install dataset-fashion-mnist` (root) adds it.",
                            "vi": "Máy này chưa cài Fashion-MNIST: chạy `apt-get install dataset-fashion-mnist` (quyền root) để thêm."},
    "gan.err.fashion": {"en": "Fashion-MNIST is not installed here (Debian package dataset-fashion-mnist).",
                        "vi": "Máy này chưa cài Fashion-MNIST (gói Debian dataset-fashion-mnist)."},
    "gan.err.no_run": {"en": "Nothing trained yet: press Start first.", "vi": "Chưa huấn luyện gì: hãy bấm Bắt đầu trước."},
    # its film for slides
    "film.gan.title": {"en": "GAN Lab · {data} · step {step}", "vi": "Phòng thí nghiệm GAN · {data} · bước {step}"},
    "film.gan.images": {"en": "GAN Lab · {data} · fixed-noise samples",
                        "vi": "Phòng thí nghiệm GAN · {data} · mẫu từ nhiễu cố định"},
}
