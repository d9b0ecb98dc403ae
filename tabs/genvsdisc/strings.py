"""Strings of the Generative vs Discriminative tab (tabs/genvsdisc/): the plane comparison (gvd.*) and the
synthetic-data experiment (aug.*)."""

STRINGS = {
    "tab.genvsdisc": {"en": "Gen vs Discriminative", "vi": "Sinh và phân biệt"},
    # ------------------------------------------------------------ lesson, part 1
    "gvd.lesson": {
        "en": r"""
**Two ways to build a classifier.** A *discriminative* model learns $p(y \mid x)$ directly. Its only question is which side of a boundary a point falls on; how the points themselves are spread does not concern it. Logistic regression and an MLP are discriminative.

A *generative* model learns how each class produces its points, $p(x \mid y)$, and how common each class is, $p(y)$. Together they give the joint $p(x, y)$. To classify, it turns them around with Bayes' rule:

$$p(y = k \mid x) = \frac{p(x \mid y = k)\,p(y = k)}{\sum_j p(x \mid y = j)\,p(y = j)}$$

It answers "which class would most likely have produced this point?". Here each class is one Gaussian. When every class shares one covariance matrix, the log-ratio of two classes is linear in $x$: **LDA**, straight boundaries. With a covariance per class it is quadratic: **QDA**, curved boundaries. Fitting is a formula (class shares, means, covariances): no training loop.

**What the generative side buys.** It holds a whole model of the data, so it can **draw new points** (the × marks) and **score how typical a point is**, $\log p(x)$. Points outside the red line (below the 2nd percentile of the training points' scores) are flagged as anomalies. The VAE tab does the same with images: a VAE trained on digits gives things that are not digits a poor ELBO, that is, a low likelihood. A discriminative model has no $p(x)$. The best it can offer is its doubt, $1 - \max_y p(y \mid x)$, and far from all training data it is often *most* sure of itself: see the anomaly column.

**What it costs.** Its answers are only as good as its assumptions. On *moons* and *checkerboard* one Gaussian per class is the wrong shape, and the MLP wins. On *circles* the ring is not Gaussian at all, yet QDA's round boundary happens to be right. Because every point pulls on the means and covariances, a few far-away points (the outlier control) can move a generative boundary. Logistic regression barely notices points that are already far on the right side, since a confidently right point has almost no loss. Outliers placed *across*, past the other classes, look mislabelled, and then every model moves.

**Try:** blobs with 6 training points, then 600; moons and the MLP; 15 outliers *away*, then *across*.
""",
        "vi": r"""
**Hai cách xây dựng một bộ phân loại.** Mô hình *phân biệt* học trực tiếp $p(y \mid x)$. Câu hỏi duy nhất của nó là một điểm nằm ở phía nào của ranh giới; bản thân các điểm phân bố ra sao thì nó không quan tâm. Hồi quy logistic và MLP là mô hình phân biệt.

Mô hình *sinh* học cách mỗi lớp tạo ra các điểm của mình, $p(x \mid y)$, và mỗi lớp phổ biến đến đâu, $p(y)$. Gộp lại chúng cho phân phối đồng thời $p(x, y)$. Để phân loại, nó đảo chiều bằng định lý Bayes:

$$p(y = k \mid x) = \frac{p(x \mid y = k)\,p(y = k)}{\sum_j p(x \mid y = j)\,p(y = j)}$$

Nó trả lời câu hỏi "lớp nào nhiều khả năng đã sinh ra điểm này nhất?". Ở đây mỗi lớp là một phân phối Gauss. Khi mọi lớp dùng chung một ma trận hiệp phương sai, log của tỉ số giữa hai lớp là hàm tuyến tính theo $x$: **LDA**, ranh giới thẳng. Khi mỗi lớp có hiệp phương sai riêng thì đó là hàm bậc hai: **QDA**, ranh giới cong. Việc khớp mô hình chỉ là một công thức (tỉ lệ lớp, trung bình, hiệp phương sai): không cần vòng lặp huấn luyện.

**Mô hình sinh được gì.** Nó giữ một mô hình đầy đủ của dữ liệu, nên có thể **sinh điểm mới** (các dấu ×) và **chấm điểm mức độ điển hình của một điểm**, $\log p(x)$. Các điểm nằm ngoài đường đỏ (dưới phân vị thứ 2 của điểm số các điểm huấn luyện) bị đánh dấu là bất thường. Thẻ VAE làm điều tương tự với ảnh: một VAE huấn luyện trên chữ số cho những thứ không phải chữ số một ELBO kém, tức là một khả năng (likelihood) thấp. Mô hình phân biệt không có $p(x)$. Điều tốt nhất nó đưa ra được là mức nghi ngờ $1 - \max_y p(y \mid x)$, và ở xa mọi dữ liệu huấn luyện nó thường lại *tự tin nhất*: xem cột bất thường.

**Cái giá phải trả.** Câu trả lời của nó chỉ tốt bằng các giả định của nó. Trên *hai vầng trăng* và *bàn cờ*, một Gauss cho mỗi lớp là sai hình dạng, và MLP thắng. Trên *vòng tròn*, chiếc vòng hoàn toàn không phải Gauss, nhưng ranh giới tròn của QDA lại tình cờ đúng. Vì mọi điểm đều kéo trung bình và hiệp phương sai, vài điểm ở rất xa (phần điểm ngoại lai) có thể dịch chuyển ranh giới của mô hình sinh. Hồi quy logistic hầu như không để ý tới những điểm đã nằm xa về phía đúng, vì một điểm được phân loại đúng một cách tự tin gần như không có mất mát. Điểm ngoại lai đặt *băng qua*, vượt qua các lớp khác, trông như bị gán nhãn sai, và khi đó mọi mô hình đều dịch chuyển.

**Hãy thử:** các cụm Gauss với 6 điểm huấn luyện, rồi 600; hai vầng trăng và MLP; 15 điểm ngoại lai *ra xa*, rồi *băng qua*.
""",
    },
    "gvd.part1": {"en": "### Four classifiers on the same points\nLDA and QDA (generative) beside logistic regression and an MLP (discriminative). Tint: $p(y \\mid x)$; black dots: the decision boundary; grey dots: the same model fitted without the outliers; the percentage by each name: its test accuracy.",
                  "vi": "### Bốn bộ phân loại trên cùng các điểm\nLDA và QDA (mô hình sinh) bên cạnh hồi quy logistic và MLP (mô hình phân biệt). Màu nền: $p(y \\mid x)$; chấm đen: ranh giới quyết định; chấm xám: cùng mô hình đó khớp khi không có điểm ngoại lai; phần trăm cạnh mỗi tên: độ chính xác kiểm tra của nó."},
    "gvd.data": {"en": "Data set", "vi": "Tập dữ liệu"},
    "gvd.data_info": {"en": "Two or three classes in the plane, drawn from the seed; or draw your own (each colour is a class)",
                      "vi": "Hai hoặc ba lớp trên mặt phẳng, sinh từ hạt giống; hoặc tự vẽ (mỗi màu là một lớp)"},
    "gvd.err.one_colour": {"en": "The classifiers need at least 2 classes: this drawing has one colour. Pick another "
                                 "colour above the canvas and add points of it.",
                           "vi": "Các bộ phân loại cần ít nhất 2 lớp: hình vẽ này chỉ có một màu. Hãy chọn màu khác "
                                 "phía trên khung vẽ và thêm điểm của màu đó."},
    "gvd.data.blobs": {"en": "Gaussian blobs (3 classes)", "vi": "Cụm Gauss (3 lớp)"},
    "gvd.data.moons": {"en": "Moons", "vi": "Hai vầng trăng"},
    "gvd.data.circles": {"en": "Circles (ring around a blob)", "vi": "Vòng tròn (vòng bao quanh một cụm)"},
    "gvd.data.checker": {"en": "Checkerboard", "vi": "Bàn cờ"},
    "gvd.n_train": {"en": "Training points", "vi": "Số điểm huấn luyện"},
    "gvd.spread": {"en": "Noise (spread)", "vi": "Độ nhiễu (độ trải)"},
    "gvd.seed": {"en": "Seed", "vi": "Hạt giống"},
    "gvd.outlier_box": {"en": "Outliers", "vi": "Điểm ngoại lai"},
    "gvd.outlier_help": {"en": "Add far-away points to one class. *Away*: behind the class, on its own side. *Across*: past the other classes, where they look mislabelled.",
                         "vi": "Thêm các điểm ở rất xa vào một lớp. *Ra xa*: phía sau lớp đó, về phía của chính nó. *Băng qua*: vượt qua các lớp khác, nơi chúng trông như bị gán nhãn sai."},
    "gvd.outliers": {"en": "Number of outliers", "vi": "Số điểm ngoại lai"},
    "gvd.outlier_class": {"en": "Class that gets them", "vi": "Lớp nhận các điểm này"},
    "gvd.outlier_distance": {"en": "Distance beyond the class mean", "vi": "Khoảng cách tính từ trung bình của lớp"},
    "gvd.outlier_side": {"en": "Side", "vi": "Phía"},
    "gvd.side.away": {"en": "Away (behind their class)", "vi": "Ra xa (phía sau lớp của chúng)"},
    "gvd.side.across": {"en": "Across (past the other classes)", "vi": "Băng qua (vượt qua các lớp khác)"},
    "gvd.advanced": {"en": "More settings", "vi": "Thiết lập khác"},
    "gvd.steps": {"en": "Updates of logistic regression and the MLP", "vi": "Số lần cập nhật của hồi quy logistic và MLP"},
    "gvd.lr": {"en": "Learning rate (AdamW)", "vi": "Tốc độ học (AdamW)"},
    "gvd.hidden": {"en": "MLP width", "vi": "Độ rộng MLP"},
    "gvd.weight_decay": {"en": "Weight decay", "vi": "Suy giảm trọng số"},
    "gvd.reg": {"en": "Covariance regularisation (added to the diagonal)", "vi": "Chính quy hóa hiệp phương sai (cộng vào đường chéo)"},
    "gvd.n_samples": {"en": "Points sampled from each Gaussian model", "vi": "Số điểm lấy mẫu từ mỗi mô hình Gauss"},
    "gvd.sweep_max": {"en": "Largest training set (points per class)", "vi": "Tập huấn luyện lớn nhất (điểm mỗi lớp)"},
    "gvd.sweep_repeats": {"en": "Training sets per size", "vi": "Số tập huấn luyện cho mỗi kích thước"},
    "gvd.model.lda": {"en": "LDA (shared covariance)", "vi": "LDA (hiệp phương sai chung)"},
    "gvd.model.qda": {"en": "QDA (covariance per class)", "vi": "QDA (hiệp phương sai riêng từng lớp)"},
    "gvd.model.logreg": {"en": "Logistic regression", "vi": "Hồi quy logistic"},
    "gvd.model.mlp": {"en": "MLP", "vi": "MLP"},
    # the models' short names, for a figure's panel titles and legends (the table gives the long ones)
    "gvd.short.lda": {"en": "LDA", "vi": "LDA"},
    "gvd.short.qda": {"en": "QDA", "vi": "QDA"},
    "gvd.short.logreg": {"en": "Logistic regression", "vi": "Hồi quy logistic"},
    "gvd.short.mlp": {"en": "MLP", "vi": "MLP"},
    "gvd.kind.gen": {"en": "generative", "vi": "sinh"},
    "gvd.kind.disc": {"en": "discriminative", "vi": "phân biệt"},
    "gvd.tbl.model": {"en": "Model", "vi": "Mô hình"},
    "gvd.tbl.kind": {"en": "Kind", "vi": "Loại"},
    "gvd.tbl.train": {"en": "Train acc.", "vi": "Đ.c. huấn luyện"},
    "gvd.tbl.test": {"en": "Test acc.", "vi": "Đ.c. kiểm tra"},
    "gvd.tbl.clean": {"en": "Test acc. without outliers", "vi": "Đ.c. kiểm tra khi không có ngoại lai"},
    "gvd.tbl.flipped": {"en": "Plane flipped by outliers", "vi": "Mặt phẳng bị ngoại lai đổi lớp"},
    "gvd.tbl.auc": {"en": "Anomaly AUC", "vi": "AUC phát hiện bất thường"},
    "gvd.tbl.note": {"en": "Acc.: accuracy. Anomaly AUC: how well a score tells uniform points over the square from test points (1 = perfectly, 0.5 = no better than chance, below 0.5 = the wrong way round). Generative models score −log p(x); discriminative ones only have their doubt 1 − max_y p(y | x). Some uniform points fall inside the data, so no score reaches 1.",
                     "vi": "Đ.c.: độ chính xác. AUC bất thường: một điểm số phân biệt tốt đến đâu giữa các điểm phân bố đều trên hình vuông và các điểm kiểm tra (1 = hoàn hảo, 0,5 = không hơn đoán mò, dưới 0,5 = ngược chiều). Mô hình sinh dùng −log p(x); mô hình phân biệt chỉ có mức nghi ngờ 1 − max_y p(y | x). Một số điểm phân bố đều rơi vào bên trong dữ liệu, nên không điểm số nào đạt tới 1."},
    "gvd.where": {"en": "update {step} of {steps} ({seconds} s of training)", "vi": "lần cập nhật {step} / {steps} ({seconds} giây huấn luyện)"},
    "gvd.fig.boundaries": {"en": "Decision boundaries, update {step}",
                           "vi": "Ranh giới quyết định, cập nhật {step}"},
    "gvd.fig.boundary": {"en": "decision boundary", "vi": "ranh giới quyết định"},
    "gvd.fig.clean_boundary": {"en": "boundary without the outliers", "vi": "ranh giới khi không có ngoại lai"},
    "gvd.fig.class": {"en": "class {k}", "vi": "lớp {k}"},
    "gvd.fig.sampled": {"en": "sampled, class {k}", "vi": "điểm sinh ra, lớp {k}"},
    "gvd.fig.outliers": {"en": "outliers", "vi": "điểm ngoại lai"},
    "gvd.fig.density": {"en": "log p(x) (darker: likelier), sampled points",
                        "vi": "log p(x) (đậm: khả năng cao), điểm lấy mẫu"},
    "gvd.fig.threshold": {"en": "anomaly threshold (2nd percentile of training log p(x))", "vi": "ngưỡng bất thường (phân vị thứ 2 của log p(x) huấn luyện)"},
    "gvd.fig.loss": {"en": "Cross-entropy on the training points", "vi": "Entropy chéo trên các điểm huấn luyện"},
    "gvd.fig.step": {"en": "update", "vi": "lần cập nhật"},
    # ------------------------------------------------------------ size sweep
    "gvd.sweep_intro": {
        "en": "### How many points does each one need?\nTest accuracy against the number of training points per class, with several fresh training sets per size (band: ±1 standard deviation). It uses the data set, noise, seed and model settings above. The textbook claim (Ng & Jordan, 2001): a generative model gets close to its best with few points; a discriminative one needs more, but ends better when the generative assumptions are wrong. What we measured over seeds 0-4, 5 sets per size: on *circles*, QDA scored 84-87% at 8 points per class against the MLP's 82-86%, and 90% against 89-92% at 16; it led at both sizes on 4 of the 5 seeds, and the MLP passed it from 64 per class on every seed. On *blobs*, at 2 per class logistic regression was ahead of both Gaussian models on every seed (by 2.1-6.6 percentage points) and QDA, estimating three covariances from two points each, was last on every seed; LDA led at 8 per class on only 2 of the 5 seeds. On *moons* and *checkerboard* the Gaussian models never got going.",
        "vi": "### Mỗi mô hình cần bao nhiêu điểm?\nĐộ chính xác kiểm tra theo số điểm huấn luyện mỗi lớp, với vài tập huấn luyện mới cho mỗi kích thước (dải màu: ±1 độ lệch chuẩn). Phần này dùng tập dữ liệu, độ nhiễu, hạt giống và thiết lập mô hình ở trên. Nhận định trong sách (Ng & Jordan, 2001): mô hình sinh đạt gần mức tốt nhất của nó chỉ với ít điểm; mô hình phân biệt cần nhiều hơn, nhưng cuối cùng tốt hơn khi giả định của mô hình sinh sai. Kết quả chúng tôi đo với các hạt giống 0-4, 5 tập cho mỗi kích thước: trên *vòng tròn*, ở 8 điểm mỗi lớp QDA đạt 84-87% so với 82-86% của MLP, ở 16 điểm mỗi lớp là 90% so với 89-92%; QDA dẫn ở cả hai kích thước với 4 trong 5 hạt giống, và với mọi hạt giống MLP vượt lên từ 64 điểm mỗi lớp. Trên *cụm Gauss*, ở 2 điểm mỗi lớp hồi quy logistic hơn cả hai mô hình Gauss với mọi hạt giống (hơn 2,1-6,6 điểm phần trăm), còn QDA, phải ước lượng ba ma trận hiệp phương sai từ hai điểm mỗi lớp, luôn đứng cuối; LDA chỉ dẫn ở 8 điểm mỗi lớp với 2 trong 5 hạt giống. Trên *hai vầng trăng* và *bàn cờ*, các mô hình Gauss không bao giờ bắt kịp.",
    },
    "gvd.sweep.where": {"en": "{done} of {total} training sets measured ({seconds} s)", "vi": "đã đo {done} / {total} tập huấn luyện ({seconds} giây)"},
    "gvd.fig.sweep": {"en": "Test accuracy by size ({done} of {total} measured)",
                      "vi": "Độ chính xác theo cỡ tập (đã đo {done} / {total})"},
    "gvd.fig.sweep_x": {"en": "training points per class", "vi": "số điểm huấn luyện mỗi lớp"},
    "gvd.fig.accuracy": {"en": "test accuracy", "vi": "độ chính xác kiểm tra"},
    # ------------------------------------------------------------ part 2: synthetic data
    "aug.lesson": {
        "en": r"""
**What generative models are for.** A model that can draw new samples has uses beyond classifying: images (faces, scenes, art), sound and speech, molecules, more training data, and, with a density, anomaly detection (above, and in the VAE tab).

**Synthetic data as training data.** When real data are scarce, costly or private, one idea is to train a generator and add its samples to the training set. Here both generators are **class-conditional**: you ask for a "7" and get a 7. The GAN gets the label as an input of $G$, and its discriminator checks "a real image *of this class*". The VAE gets the label in both its encoder and its decoder, so its code $z$ only has to carry the style. The experiment is kept honest: the same classifier, the same initialisation, the same number of updates and the same test set. The only difference is whether it also sees $M$ synthetic images per class. Every setting is repeated with different real images, and the chart shows each run and the spread.

**Where the generator learned matters.** If it saw only the same $N$ images per class (*same images*), its samples hold no information those images did not already hold: at best they smooth and re-mix it, at worst they add wrong digits. If it learned from all 4,000 training digits (*all training digits*), any gain comes from those extra digits, passed on through the generator. That is useful in practice, but it is not the generator creating knowledge. The judge figure in the results (how often the shared digit classifier of the GAN tab recognises the requested class) tells you whether the samples even show the right digit.

**Deepfakes and synthetic media.** The same methods produce photos, videos and voices of real people saying or doing things they never did. They are used for fraud and impersonation, harassment (especially non-consensual intimate images), and political disinformation, and their mere existence lets real evidence be dismissed as fake. Sensible practice: use a person's likeness or voice only with their consent; label synthetic media as synthetic (watermarks, provenance metadata such as C2PA); check sources before sharing; and know that many countries now regulate it (for example, the EU AI Act requires deepfakes to be disclosed). Detectors help but are not reliable on their own: they lag behind new generators.
""",
        "vi": r"""
**Mô hình sinh dùng để làm gì.** Một mô hình có thể sinh mẫu mới có nhiều công dụng ngoài việc phân loại: tạo ảnh (khuôn mặt, phong cảnh, nghệ thuật), âm thanh và giọng nói, phân tử thuốc, thêm dữ liệu huấn luyện, và nếu có hàm mật độ thì cả phát hiện bất thường (ở phần trên, và trong thẻ VAE).

**Dữ liệu tổng hợp làm dữ liệu huấn luyện.** Khi dữ liệu thật khan hiếm, đắt đỏ hoặc nhạy cảm, một ý tưởng là huấn luyện một bộ sinh rồi thêm các mẫu của nó vào tập huấn luyện. Ở đây cả hai bộ sinh đều **có điều kiện theo lớp**: bạn yêu cầu số "7" và nhận được số 7. GAN nhận nhãn như một đầu vào của $G$, và bộ phân biệt của nó kiểm tra "một ảnh thật *của lớp này*". VAE nhận nhãn ở cả bộ mã hóa lẫn bộ giải mã, nên mã $z$ chỉ cần mang phong cách viết. Thí nghiệm được giữ công bằng: cùng một bộ phân loại, cùng khởi tạo, cùng số lần cập nhật và cùng tập kiểm tra. Khác biệt duy nhất là nó có thấy thêm $M$ ảnh tổng hợp mỗi lớp hay không. Mỗi thiết lập được lặp lại với các ảnh thật khác nhau, và biểu đồ cho thấy từng lần chạy cùng độ phân tán.

**Bộ sinh học từ đâu là điều quan trọng.** Nếu nó chỉ thấy đúng $N$ ảnh mỗi lớp đó (*cùng các ảnh*), thì mẫu của nó không chứa thông tin nào mà các ảnh đó chưa có: tốt nhất là làm mượt và trộn lại, tệ nhất là thêm những chữ số sai. Nếu nó học từ toàn bộ 4.000 chữ số huấn luyện (*mọi chữ số huấn luyện*), thì phần lợi nếu có đến từ những chữ số thêm đó, được truyền qua bộ sinh. Điều đó hữu ích trong thực tế, nhưng không phải bộ sinh tự tạo ra tri thức. Con số của trọng tài trong kết quả (bộ phân loại chữ số dùng chung của thẻ GAN nhận ra đúng lớp được yêu cầu bao nhiêu lần) cho biết mẫu sinh ra có đúng là chữ số được yêu cầu hay không.

**Deepfake và nội dung tổng hợp.** Cùng những phương pháp này tạo ra ảnh, video và giọng nói của người thật đang nói hoặc làm những việc họ chưa từng làm. Chúng bị dùng để lừa đảo và mạo danh, quấy rối (nhất là ảnh nhạy cảm không có sự đồng ý), và tung tin sai lệch chính trị; chỉ riêng việc chúng tồn tại đã khiến bằng chứng thật có thể bị gạt đi là giả. Cách làm đúng đắn: chỉ dùng hình ảnh hay giọng nói của một người khi có sự đồng ý của họ; gắn nhãn nội dung tổng hợp là tổng hợp (thủy vân, siêu dữ liệu nguồn gốc như C2PA); kiểm tra nguồn trước khi chia sẻ; và biết rằng nhiều quốc gia nay đã có quy định (ví dụ Đạo luật AI của EU yêu cầu công khai deepfake). Các công cụ phát hiện có ích nhưng một mình chúng không đáng tin cậy: chúng luôn đi sau các bộ sinh mới.
""",
    },
    "aug.part2": {"en": "### Synthetic digits as extra training data: do they help?\nA classifier trained on $N$ real digits per class, beside the same classifier trained on the same digits plus $M$ synthetic ones per class from the conditional GAN or VAE.",
                  "vi": "### Chữ số tổng hợp làm dữ liệu huấn luyện thêm: có giúp ích không?\nMột bộ phân loại huấn luyện trên $N$ chữ số thật mỗi lớp, bên cạnh cùng bộ phân loại đó huấn luyện trên cùng các chữ số cộng thêm $M$ chữ số tổng hợp mỗi lớp từ GAN hoặc VAE có điều kiện."},
    "aug.data": {"en": "Digits", "vi": "Chữ số"},
    "aug.data.mnist": {"en": "MNIST 28×28 (5,000 images)", "vi": "MNIST 28×28 (5.000 ảnh)"},
    "aug.data.digits": {"en": "scikit-learn 8×8 (1,797 images, fastest)", "vi": "scikit-learn 8×8 (1.797 ảnh, nhanh nhất)"},
    "aug.n_real": {"en": "Real images per class (N)", "vi": "Số ảnh thật mỗi lớp (N)"},
    "aug.n_real_info": {"en": "One experiment for each N chosen", "vi": "Một thí nghiệm cho mỗi giá trị N được chọn"},
    "aug.synthetic": {"en": "Synthetic images per class (M)", "vi": "Số ảnh tổng hợp mỗi lớp (M)"},
    "aug.repeats": {"en": "Repeats (different real images each)", "vi": "Số lần lặp (mỗi lần các ảnh thật khác nhau)"},
    "aug.seed": {"en": "Seed", "vi": "Hạt giống"},
    "aug.generator_data": {"en": "The generators learn from", "vi": "Các bộ sinh học từ"},
    "aug.generator_data_info": {"en": "Same images: the fair test. All training digits: the gain then comes from the extra digits.",
                                "vi": "Cùng các ảnh: phép thử công bằng. Mọi chữ số huấn luyện: khi đó phần lợi đến từ các chữ số thêm."},
    "aug.gen.subset": {"en": "the same N images per class", "vi": "cùng N ảnh mỗi lớp đó"},
    "aug.gen.pool": {"en": "all training digits", "vi": "mọi chữ số huấn luyện"},
    "aug.gan_steps": {"en": "Conditional GAN updates", "vi": "Số lần cập nhật GAN có điều kiện"},
    "aug.vae_steps": {"en": "Conditional VAE updates", "vi": "Số lần cập nhật VAE có điều kiện"},
    "aug.clf_steps": {"en": "Classifier updates", "vi": "Số lần cập nhật bộ phân loại"},
    "aug.gan_grid": {"en": "**Conditional GAN**: one row per class, 0 at the top", "vi": "**GAN có điều kiện**: mỗi hàng một lớp, 0 ở trên cùng"},
    "aug.vae_grid": {"en": "**Conditional VAE**: one row per class, 0 at the top", "vi": "**VAE có điều kiện**: mỗi hàng một lớp, 0 ở trên cùng"},
    "aug.source.real": {"en": "real only", "vi": "chỉ ảnh thật"},
    "aug.source.gan": {"en": "real + GAN", "vi": "thật + GAN"},
    "aug.source.vae": {"en": "real + VAE", "vi": "thật + VAE"},
    "aug.fig.accuracy": {"en": "Test accuracy: each repeat (dots), mean ± std (bars)", "vi": "Độ chính xác kiểm tra: từng lần lặp (chấm), trung bình ± độ lệch chuẩn (thanh)"},
    "aug.fig.n_real": {"en": "real images per class (N)", "vi": "số ảnh thật mỗi lớp (N)"},
    "aug.verdict.helps": {"en": "**{source}, N = {n}: helps**, {mean} percentage points on average; every repeat gained ({lo} to {hi}). The judge recognised {agree} of the synthetic digits.",
                          "vi": "**{source}, N = {n}: có ích**, trung bình {mean} điểm phần trăm; mọi lần lặp đều tăng ({lo} đến {hi}). Trọng tài nhận ra {agree} số chữ số tổng hợp."},
    "aug.verdict.hurts": {"en": "**{source}, N = {n}: hurts**, {mean} percentage points on average; every repeat lost ({lo} to {hi}). The judge recognised {agree} of the synthetic digits.",
                          "vi": "**{source}, N = {n}: gây hại**, trung bình {mean} điểm phần trăm; mọi lần lặp đều giảm ({lo} đến {hi}). Trọng tài nhận ra {agree} số chữ số tổng hợp."},
    "aug.verdict.mixed": {"en": "**{source}, N = {n}: no clear effect**, {mean} percentage points on average, from {lo} to {hi} across repeats. The judge recognised {agree} of the synthetic digits.",
                          "vi": "**{source}, N = {n}: không rõ tác dụng**, trung bình {mean} điểm phần trăm, từ {lo} đến {hi} giữa các lần lặp. Trọng tài nhận ra {agree} số chữ số tổng hợp."},
    "aug.verdict.wait": {"en": "Results appear here as each classifier finishes.", "vi": "Kết quả hiện ở đây khi từng bộ phân loại huấn luyện xong."},
    "aug.verdict.note": {"en": "Change against *real only*, repeat by repeat (same real images, same classifier start). With a single repeat every change counts as clear: run several before you believe it.",
                         "vi": "Thay đổi so với *chỉ ảnh thật*, tính theo từng lần lặp (cùng ảnh thật, cùng khởi tạo bộ phân loại). Với chỉ một lần lặp, mọi thay đổi đều trông rõ ràng: hãy chạy vài lần trước khi tin."},
    "aug.where.gan": {"en": "N = {n}, repeat {repeat} of {repeats}: training the conditional GAN, update {step} of {steps} ({done} of {total} classifiers done, {seconds} s)",
                      "vi": "N = {n}, lần lặp {repeat} / {repeats}: đang huấn luyện GAN có điều kiện, lần cập nhật {step} / {steps} (xong {done} / {total} bộ phân loại, {seconds} giây)"},
    "aug.where.vae": {"en": "N = {n}, repeat {repeat} of {repeats}: training the conditional VAE, update {step} of {steps} ({done} of {total} classifiers done, {seconds} s)",
                      "vi": "N = {n}, lần lặp {repeat} / {repeats}: đang huấn luyện VAE có điều kiện, lần cập nhật {step} / {steps} (xong {done} / {total} bộ phân loại, {seconds} giây)"},
    "aug.where.cells": {"en": "N = {n}, repeat {repeat} of {repeats}: {done} of {total} classifiers done ({seconds} s)",
                        "vi": "N = {n}, lần lặp {repeat} / {repeats}: xong {done} / {total} bộ phân loại ({seconds} giây)"},
}
