STRINGS = {
    "tab.diffusion": {"en": "Diffusion", "vi": "Khuếch tán"},
    "diff.lesson": {
        "en": r"""
**The third family of generative models.** A GAN learns a generator by playing against a discriminator; a VAE learns an encoder and a decoder around a latent code. A **diffusion model** learns something smaller: how to remove a little noise. Most image generators in use today (Stable Diffusion, Imagen, DALL·E 3) are diffusion or flow-matching models.

**The forward process destroys the data, on purpose.** Take a data point $x_0$ and mix it with Gaussian noise $\varepsilon \sim \mathcal N(0, I)$:
$x_t = a(t)\,x_0 + s(t)\,\varepsilon$, with $t$ from 0 (data) to 1 (pure noise). For DDPM (Ho et al., 2020) $a = \sqrt{\bar\alpha_t}$ and $s = \sqrt{1 - \bar\alpha_t}$, where $\bar\alpha_t$ falls from 1 to almost 0 along a *schedule* (linear, or the cosine schedule of Nichol & Dhariwal, 2021, which destroys the data more gently at the start). No network is needed for this direction, and any $x_t$ can be drawn in one step: the right-hand plane shows it.

**The network learns to undo one bit of it.** Two objectives, both plain regression:
- *DDPM (noise prediction):* the network $\varepsilon_\theta(x_t, t)$ guesses the noise that was added; the loss is $\lVert \varepsilon_\theta(x_t, t) - \varepsilon \rVert^2$. Up to a scale this is the **score** $\nabla_x \log p_t(x) = -\varepsilon / s(t)$: an arrow that points towards where the data are more likely.
- *Flow matching / rectified flow (Lipman et al., 2023; Liu et al., 2023):* take the straight line $x_t = (1-t)\,x_0 + t\,\varepsilon$ and learn its **velocity** $v = \varepsilon - x_0$. Sampling then follows the learned field from noise back to data.

**Sampling runs the process backwards**, from noise at $t = 1$ to data at $t = 0$, in a number of steps you choose:
- *DDPM ancestral:* each step predicts, removes part of the noise and adds a little fresh noise back (stochastic);
- *DDIM* (Song et al., 2021): the same network, deterministic steps, so far fewer steps are needed;
- *Euler on the ODE:* the probability-flow ODE (DDPM) or the velocity field (flow matching), one Euler step at a time.

Each step costs one **network evaluation** (NFE): a sample with 100 steps costs 100 forward passes, where a GAN or a VAE decoder costs one. That is the price of diffusion; the curve of quality against steps shows how much of it each sampler really needs.

**What to try.** Start the default run and watch the samples settle on the 8 modes. Move the **time** slider: at $t = 1$ the samples are noise, at $t = 0$ they are the model's data; the arrows are the learned field at that time and the thin lines the paths the samples took. Compare 1, 5 and 50 steps with DDIM and with DDPM: the stochastic sampler needs many more. Try flow matching: its paths are straighter, so few Euler steps go further. Draw your own data set and see what each family makes of it.
""",
        "vi": r"""
**Họ mô hình sinh thứ ba.** GAN học bộ sinh qua một trò chơi với bộ phân biệt; VAE học bộ mã hóa và bộ giải mã quanh một mã ẩn. **Mô hình khuếch tán** học một việc nhỏ hơn nhiều: gỡ bỏ một chút nhiễu. Phần lớn các mô hình sinh ảnh đang được dùng hiện nay (Stable Diffusion, Imagen, DALL·E 3) là mô hình khuếch tán hoặc flow matching.

**Quá trình thuận cố tình phá hủy dữ liệu.** Lấy một điểm dữ liệu $x_0$ và trộn nó với nhiễu Gauss $\varepsilon \sim \mathcal N(0, I)$:
$x_t = a(t)\,x_0 + s(t)\,\varepsilon$, với $t$ đi từ 0 (dữ liệu) đến 1 (nhiễu thuần). Với DDPM (Ho và cộng sự, 2020), $a = \sqrt{\bar\alpha_t}$ và $s = \sqrt{1 - \bar\alpha_t}$, trong đó $\bar\alpha_t$ giảm từ 1 về gần 0 theo một *lịch nhiễu* (tuyến tính, hoặc lịch cosin của Nichol và Dhariwal, 2021, phá dữ liệu nhẹ nhàng hơn lúc đầu). Chiều này không cần mạng nơ-ron, và có thể lấy mẫu $x_t$ bất kỳ chỉ trong một bước: mặt phẳng bên phải cho thấy điều đó.

**Mạng học cách gỡ lại từng chút một.** Hai mục tiêu huấn luyện, cả hai đều là hồi quy thông thường:
- *DDPM (dự đoán nhiễu):* mạng $\varepsilon_\theta(x_t, t)$ đoán nhiễu đã được thêm vào; hàm mất mát là $\lVert \varepsilon_\theta(x_t, t) - \varepsilon \rVert^2$. Sai khác một hệ số, đó chính là **hàm điểm (score)** $\nabla_x \log p_t(x) = -\varepsilon / s(t)$: một mũi tên chỉ về nơi dữ liệu có khả năng xuất hiện cao hơn.
- *Flow matching / rectified flow (Lipman và cộng sự, 2023; Liu và cộng sự, 2023):* lấy đường thẳng $x_t = (1-t)\,x_0 + t\,\varepsilon$ và học **vận tốc** của nó $v = \varepsilon - x_0$. Khi lấy mẫu, ta đi theo trường vận tốc đã học từ nhiễu về dữ liệu.

**Lấy mẫu là chạy ngược quá trình**, từ nhiễu ở $t = 1$ về dữ liệu ở $t = 0$, với số bước do bạn chọn:
- *DDPM tổ tiên (ancestral):* mỗi bước dự đoán, bớt một phần nhiễu rồi thêm lại một ít nhiễu mới (ngẫu nhiên);
- *DDIM* (Song và cộng sự, 2021): cùng một mạng, nhưng các bước tất định, nên cần ít bước hơn nhiều;
- *Euler trên phương trình vi phân:* phương trình dòng xác suất (DDPM) hoặc trường vận tốc (flow matching), mỗi lần một bước Euler.

Mỗi bước tốn một **lần gọi mạng** (NFE): một mẫu với 100 bước tốn 100 lần lan truyền xuôi, trong khi GAN hay bộ giải mã VAE chỉ tốn một. Đó là cái giá của khuếch tán; đường cong chất lượng theo số bước cho thấy mỗi cách lấy mẫu thực sự cần bao nhiêu.

**Bạn có thể thử.** Bấm Bắt đầu với cấu hình mặc định và xem các mẫu dần nằm lên 8 cụm. Kéo thanh **thời gian**: ở $t = 1$ các mẫu là nhiễu, ở $t = 0$ là dữ liệu của mô hình; các mũi tên là trường đã học tại thời điểm đó, các đường mảnh là quỹ đạo các mẫu đã đi. So sánh 1, 5 và 50 bước với DDIM và với DDPM: cách lấy mẫu ngẫu nhiên cần nhiều bước hơn hẳn. Thử flow matching: quỹ đạo thẳng hơn, nên ít bước Euler vẫn đi được xa. Tự vẽ một tập dữ liệu và xem mỗi họ mô hình làm được gì với nó.
""",
    },
    "diff.part.toy": {"en": "### 2-D: diffusion and flow matching, trained live",
                      "vi": "### Hai chiều: khuếch tán và flow matching, huấn luyện trực tiếp"},
    "diff.part.digits": {"en": "Digits: a class-conditional U-Net with classifier-free guidance",
                         "vi": "Chữ số: U-Net có điều kiện theo lớp, với hướng dẫn không cần bộ phân loại"},
    "diff.part.families": {"en": "Three families, one table: GAN, VAE and diffusion on the same data",
                           "vi": "Ba họ mô hình, một bảng: GAN, VAE và khuếch tán trên cùng dữ liệu"},
    # controls
    "diff.preset": {"en": "Preset", "vi": "Cấu hình mẫu"},
    "diff.preset_info": {"en": "Fills in every setting below; you can change them afterwards.",
                         "vi": "Điền sẵn mọi thiết lập bên dưới; bạn vẫn có thể sửa lại."},
    "diff.preset.default": {"en": "Default: DDPM, ring of 8", "vi": "Mặc định: DDPM, vòng 8"},
    "diff.preset.flow": {"en": "Flow matching, ring of 8", "vi": "Flow matching, vòng 8"},
    "diff.preset.grid25": {"en": "5×5 grid", "vi": "Lưới 5×5"},
    "diff.preset.moons": {"en": "Two moons", "vi": "Hai nửa vầng trăng"},
    "diff.preset.spiral": {"en": "Spiral", "vi": "Xoắn ốc"},
    "diff.preset.custom": {"en": "Custom (changed)", "vi": "Tùy chỉnh (đã đổi)"},
    "diff.data": {"en": "Data", "vi": "Dữ liệu"},
    "diff.data.ring8": {"en": "Ring of 8 Gaussians", "vi": "Vòng 8 cụm Gauss"},
    "diff.data.grid25": {"en": "5×5 grid of Gaussians", "vi": "Lưới 5×5 cụm Gauss"},
    "diff.data.moons": {"en": "Two moons", "vi": "Hai nửa vầng trăng"},
    "diff.data.spiral": {"en": "Spiral", "vi": "Đường xoắn ốc"},
    "diff.cov.centre": {"en": "mode centre", "vi": "tâm cụm"},
    "diff.cov.curve": {"en": "point of the clean curve (8 arcs count as modes)",
                       "vi": "điểm trên đường cong gốc (8 cung được tính là 8 chế độ)"},
    "diff.data.drawn_named": {"en": "drawn data ({n} points)", "vi": "dữ liệu tự vẽ ({n} điểm)"},
    "diff.cov.drawn": {"en": "drawn point (σ = 0.05; each colour is a mode, one colour is cut into up to 8 regions)",
                       "vi": "điểm đã vẽ (σ = 0,05; mỗi màu là một chế độ, một màu được chia thành tối đa 8 vùng)"},
    "diff.objective": {"en": "What the network learns", "vi": "Mạng học gì"},
    "diff.objective.ddpm": {"en": "DDPM: the noise ε", "vi": "DDPM: nhiễu ε"},
    "diff.objective.flow": {"en": "Flow matching: the velocity v", "vi": "Flow matching: vận tốc v"},
    "diff.schedule": {"en": "Noise schedule (DDPM)", "vi": "Lịch nhiễu (DDPM)"},
    "diff.schedule.linear": {"en": "linear", "vi": "tuyến tính"},
    "diff.schedule.cosine": {"en": "cosine", "vi": "cosin"},
    "diff.sampler": {"en": "Sampler", "vi": "Cách lấy mẫu"},
    "diff.sampler.ddpm": {"en": "DDPM ancestral", "vi": "DDPM tổ tiên"},
    "diff.sampler.ddim": {"en": "DDIM", "vi": "DDIM"},
    "diff.sampler.euler": {"en": "Euler (ODE)", "vi": "Euler (PTVP)"},
    "diff.sample_steps": {"en": "Sampling steps", "vi": "Số bước lấy mẫu"},
    "diff.sample_steps_info": {"en": "Network evaluations per sample, 1 to 1000",
                               "vi": "Số lần gọi mạng cho mỗi mẫu, từ 1 đến 1000"},
    "diff.steps": {"en": "Training steps", "vi": "Số bước huấn luyện"},
    "diff.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên (seed)"},
    "diff.lr": {"en": "Learning rate", "vi": "Tốc độ học"},
    "diff.width": {"en": "Width", "vi": "Độ rộng"},
    "diff.depth": {"en": "Depth (hidden layers)", "vi": "Độ sâu (số lớp ẩn)"},
    "diff.batch_size": {"en": "Batch size", "vi": "Kích thước lô"},
    "diff.ema": {"en": "Averaged weights (EMA decay)", "vi": "Trọng số trung bình (hệ số EMA)"},
    "diff.advanced": {"en": "Network and optimizer", "vi": "Mạng và bộ tối ưu"},
    "diff.reset": {"en": "Reset", "vi": "Đặt lại"},
    "diff.t": {"en": "Time t (1 = noise, 0 = data)", "vi": "Thời gian t (1 = nhiễu, 0 = dữ liệu)"},
    "diff.t_info": {"en": "Scrubs the reverse process, the field and the forward process",
                    "vi": "Tua quá trình ngược, trường và quá trình thuận"},
    "diff.quality": {"en": "Measure quality against steps", "vi": "Đo chất lượng theo số bước"},
    "diff.export": {"en": "Prepare downloads", "vi": "Chuẩn bị tệp tải về"},
    "diff.files": {"en": "Denoiser (.safetensors) and loss history (.csv)",
                   "vi": "Mạng khử nhiễu (.safetensors) và lịch sử mất mát (.csv)"},
    "diff.film": {"en": "Reverse process for slides (GIF + PNG)", "vi": "Quá trình ngược cho bài giảng (GIF + PNG)"},
    "diff.film_files": {"en": "Slides", "vi": "Trang chiếu"},
    # figures
    "diff.fig.reverse": {"en": "Reverse process, t = {t:.2f} · step {step}<br>samples and paths (orange), real (grey)"
                               "<br>{field}",
                         "vi": "Quá trình ngược, t = {t:.2f} · bước {step}<br>mẫu và quỹ đạo (cam), thật (xám)"
                               "<br>{field}"},
    "diff.fig.field.score": {"en": "arrows: the learned score", "vi": "mũi tên: hàm điểm đã học"},
    "diff.fig.field.velocity": {"en": "arrows: the learned velocity, reversed", "vi": "mũi tên: vận tốc đã học, chiều ngược"},
    "diff.fig.forward": {"en": "Forward process<br>(data noised to t)<br>t = {t:.2f}",
                         "vi": "Quá trình thuận<br>(dữ liệu làm nhiễu)<br>t = {t:.2f}"},
    "diff.fig.loss": {"en": "Training loss (MSE)", "vi": "Mất mát huấn luyện (MSE)"},
    "diff.quality_hint": {"en": "The model on screen samples the same 1,000 noise points with 1, 2, 5 … 1,000 steps "
                                "of the chosen sampler; each is scored with the GAN Lab's measure.",
                          "vi": "Mô hình đang hiển thị lấy mẫu từ cùng 1.000 điểm nhiễu với 1, 2, 5 … 1.000 bước của "
                                "cách lấy mẫu đã chọn; mỗi lần được chấm bằng thước đo của GAN."},
    "diff.fig.step": {"en": "step", "vi": "bước"},
    "diff.fig.quality": {"en": "Quality against sampling steps ({sampler})",
                         "vi": "Chất lượng theo số bước lấy mẫu ({sampler})"},
    "diff.fig.steps_axis": {"en": "sampling steps (network evaluations)", "vi": "số bước lấy mẫu (số lần gọi mạng)"},
    "diff.fig.hq": {"en": "high-quality samples", "vi": "mẫu chất lượng cao"},
    "diff.fig.modes": {"en": "share of modes covered", "vi": "tỉ lệ chế độ được phủ"},
    "diff.fig.real": {"en": "real", "vi": "thật"},
    "diff.fig.samples": {"en": "samples", "vi": "mẫu"},
    "diff.fig.noised": {"en": "noised data", "vi": "dữ liệu bị làm nhiễu"},
    "diff.quality.md": {"en": "Measured on the model at step {step:,}, 1,000 samples from the same noise for each step "
                              "count; {ms:.2f} ms per sample at {steps} steps.",
                        "vi": "Đo trên mô hình ở bước {step:,}, 1.000 mẫu từ cùng một nhiễu cho mỗi số bước; "
                              "{ms:.2f} ms mỗi mẫu với {steps} bước."},
    # readouts
    "diff.where": {"en": "step {step:,} · {rate:.0f} steps/s · {elapsed:.1f} s · {params:,} parameters · {device}",
                   "vi": "bước {step:,} · {rate:.0f} bước/giây · {elapsed:.1f} giây · {params:,} tham số · {device}"},
    "diff.cov": {"en": "**Modes covered: {covered} / {n}** · high-quality samples: **{hq:.0%}** (within 3σ of the "
                       "nearest {what}; the GAN Lab's measure) · {sampler}, {steps} steps = {steps} network "
                       "evaluations per sample",
                 "vi": "**Số chế độ được phủ: {covered} / {n}** · mẫu chất lượng cao: **{hq:.0%}** (cách {what} gần "
                       "nhất không quá 3σ; cùng thước đo với GAN) · {sampler}, {steps} bước = {steps} lần gọi mạng "
                       "cho mỗi mẫu"},
    "diff.status.reset": {"en": "Reset: the model is gone. Press Start for a new run.",
                          "vi": "Đã đặt lại: mô hình đã bị xóa. Bấm Bắt đầu để chạy lần mới."},
    "diff.err.no_run": {"en": "Nothing trained yet: press Start first.",
                        "vi": "Chưa huấn luyện gì: hãy bấm Bắt đầu trước."},
    "diff.err.replay_model": {"en": "A replay carries the samples, not the network: press Start to train one.",
                              "vi": "Bản phát lại chỉ có các mẫu, không có mạng: bấm Bắt đầu để huấn luyện một mạng."},
    "diff.err.t": {"en": "The time t must be between 0 and 1 (got {value}).",
                   "vi": "Thời gian t phải nằm trong khoảng 0 đến 1 (nhận được {value})."},
    # digits
    "diff.dig.model": {"en": "Model", "vi": "Mô hình"},
    "diff.dig.model.shipped": {"en": "shipped (trained offline)", "vi": "có sẵn (huấn luyện trước)"},
    "diff.dig.model.mine": {"en": "trained here", "vi": "huấn luyện tại đây"},
    "diff.dig.guidance": {"en": "Guidance scale w", "vi": "Hệ số hướng dẫn w"},
    "diff.dig.guidance_info": {"en": "0: the unconditional model; 1: the plain conditional model; more pushes harder "
                                     "towards the class",
                               "vi": "0: mô hình không điều kiện; 1: mô hình có điều kiện thông thường; lớn hơn thì "
                                     "đẩy mạnh hơn về phía lớp"},
    "diff.dig.steps": {"en": "Sampling steps", "vi": "Số bước lấy mẫu"},
    "diff.dig.sampler": {"en": "Sampler", "vi": "Cách lấy mẫu"},
    "diff.dig.seed": {"en": "Noise seed", "vi": "Seed của nhiễu"},
    "diff.dig.label": {"en": "Digit of the denoising strip", "vi": "Chữ số của dải khử nhiễu"},
    "diff.dig.draw": {"en": "Draw the grid", "vi": "Vẽ lưới"},
    "diff.dig.grid": {"en": "8×8 samples from the same noise: row by row the digits 0-9 asked for",
                      "vi": "8×8 mẫu từ cùng một nhiễu: các chữ số 0-9 được yêu cầu, lần lượt theo hàng"},
    "diff.dig.strip": {"en": "One sample's denoising: x_T (noise) … x_0", "vi": "Quá trình khử nhiễu của một mẫu: x_T (nhiễu) … x_0"},
    "diff.dig.readout": {"en": "**The classifier reads the requested digit in {agree:.0%} of the 64 samples** · mean "
                               "confidence {conf:.0%} · guidance {w:g}, {steps} steps, {nfe:,} network evaluations for "
                               "the grid, {ms:.0f} ms · {model}",
                         "vi": "**Bộ phân loại đọc ra đúng chữ số được yêu cầu ở {agree:.0%} trong 64 mẫu** · độ tin "
                               "cậy trung bình {conf:.0%} · hướng dẫn {w:g}, {steps} bước, {nfe:,} lần gọi mạng cho cả "
                               "lưới, {ms:.0f} ms · {model}"},
    "diff.dig.train": {"en": "Train from scratch", "vi": "Huấn luyện từ đầu"},
    "diff.dig.train_steps": {"en": "Training steps", "vi": "Số bước huấn luyện"},
    "diff.dig.train_seed": {"en": "Training seed", "vi": "Seed huấn luyện"},
    "diff.dig.where": {"en": "step {step:,} · {elapsed:.0f} s · {params:,} parameters · {device}",
                       "vi": "bước {step:,} · {elapsed:.0f} giây · {params:,} tham số · {device}"},
    "diff.dig.live": {"en": "**The classifier reads the requested digit in {agree:.0%} of the 64 samples** · mean "
                            "confidence {conf:.0%} · fixed noise, guidance {w:g}, {steps} DDIM steps · training step "
                            "{step:,}",
                      "vi": "**Bộ phân loại đọc ra đúng chữ số được yêu cầu ở {agree:.0%} trong 64 mẫu** · độ tin "
                            "cậy trung bình {conf:.0%} · nhiễu cố định, hướng dẫn {w:g}, {steps} bước DDIM · bước "
                            "huấn luyện {step:,}"},
    "diff.dig.err.none": {"en": "No model trained here yet: press Train from scratch, or choose the shipped model.",
                          "vi": "Chưa có mô hình huấn luyện tại đây: bấm Huấn luyện từ đầu, hoặc chọn mô hình có sẵn."},
    "diff.dig.err.guidance": {"en": "The guidance scale must be between 0 and 8 (got {value}).",
                              "vi": "Hệ số hướng dẫn phải nằm trong khoảng 0 đến 8 (nhận được {value})."},
    "diff.dig.err.sampler": {"en": "Unknown sampler {value}: choose DDPM, DDIM or Euler.",
                             "vi": "Không có cách lấy mẫu {value}: hãy chọn DDPM, DDIM hoặc Euler."},
    "diff.dig.shipped_facts": {"en": "Shipped model: {facts}", "vi": "Mô hình có sẵn: {facts}"},
    # three families
    "diff.fam.intro": {
        "en": "Measured by `python benchmarks/three_families.py` on {machine}, {date}; the same data set and seed for "
              "all three, each model's samples scored with the GAN Lab's measure.",
        "vi": "Đo bằng `python benchmarks/three_families.py` trên {machine}, {date}; cùng tập dữ liệu và seed cho cả "
              "ba, mẫu của mỗi mô hình được chấm bằng thước đo của GAN."},
    "diff.fam.missing": {"en": "The table has not been measured on this copy yet: run `python benchmarks/three_families.py`.",
                         "vi": "Bảng chưa được đo trên bản này: hãy chạy `python benchmarks/three_families.py`."},
    "diff.fam.model": {"en": "model", "vi": "mô hình"},
    "diff.fam.modes": {"en": "modes covered", "vi": "chế độ được phủ"},
    "diff.fam.hq": {"en": "high quality", "vi": "chất lượng cao"},
    "diff.fam.nfe": {"en": "network evaluations per sample", "vi": "số lần gọi mạng mỗi mẫu"},
    "diff.fam.ms": {"en": "ms per sample", "vi": "ms mỗi mẫu"},
    "diff.fam.train": {"en": "training time", "vi": "thời gian huấn luyện"},
    "diff.fam.to_quality": {"en": "time to 8/8 modes and ≥ 80% high quality", "vi": "thời gian đến 8/8 chế độ và ≥ 80% chất lượng cao"},
    "diff.fam.never": {"en": "not reached", "vi": "không đạt"},
    "diff.fam.seeds": {"en": "seeds", "vi": "các seed"},
    "diff.fam.classes": {"en": "classes covered", "vi": "số lớp được phủ"},
    "diff.fam.conf": {"en": "confident samples", "vi": "mẫu được nhận ra chắc chắn"},
    "diff.fam.digits": {"en": "MNIST digits, from the shipped models", "vi": "Chữ số MNIST, từ các mô hình có sẵn"},
    # film
    "film.diffusion.title": {"en": "Diffusion · {data} · {sampler}, {steps} steps · t = {t}",
                             "vi": "Khuếch tán · {data} · {sampler}, {steps} bước · t = {t}"},
}
