"""Strings of the Transformer Lab tab (tabs/lab/: layout, session, figures)."""

STRINGS = {
    "tab.lab": {"en": "Transformer", "vi": "Transformer"},
    "lab.lesson": {
        "en": r"""
**What a transformer is.** A family of deep networks introduced in *Attention Is All You Need* (Vaswani et al., 2017). The original is an **encoder-decoder**: the encoder turns the input tokens into one vector per token, each placed in the context of the whole input; the decoder writes the output one token at a time, reading what it has written so far and, through **cross-attention**, the encoder's vectors. BERT keeps only the encoder, GPT only the decoder: the layer is a module you can stack on its own.

**One layer** = self-attention + a feed-forward network, each wrapped in a residual connection and a LayerNorm. In **attention** every token asks a question (query $q$), every token offers a key $k$ and a value $v$; the answer is $\mathrm{softmax}(q k^\top / \sqrt{d})\,v$, a weighted mix of values, so any token can read any other in one step. **Multi-head** attention runs several such mixes side by side on smaller slices of the vector, each free to look for something different, then joins them. A **causal mask** sets the weights of future tokens to exactly zero: a decoder cannot peek at what it has not written yet.

**Where the LayerNorm sits.** The 2017 layer normalises *after* adding the residual (post-LN) and needs a learning-rate warm-up; Xiong et al. (2020) showed that normalising *before* each sublayer (pre-LN) keeps gradients even across layers and often trains without warm-up. Experiment 2 lets you check this on a small model: whatever you see is measured, not staged.

**Why transformers replaced RNNs and LSTMs.** (1) *Parallelism*: an LSTM must read token $t$ before token $t+1$; attention handles all positions in one matrix product (at a cost that grows with the square of the length). (2) *Long range*: in attention any two tokens are one step apart; in a recurrent network a signal must survive $d$ steps, and gradients fade on the way. (3) *Scale*: the same parallelism lets training use GPUs fully. Experiment 3 measures both claims, including where they do **not** hold on a CPU.

**BERT, GPT, T5.** BERT (encoder) learns by **filling masked words** from both sides: good at understanding. GPT (decoder) learns by **predicting the next token** under a causal mask: good at writing. T5 casts every task as **text to text**, naming the task in a prefix ("translate English to German: ..."). Experiment 1 is a tiny T5; experiment 4 trains a tiny BERT and a tiny GPT on the same sentences. Text generation with a real GPT-style model (SmolLM2) is in the Attention Explorer.
""",
        "vi": r"""
**Transformer là gì.** Một họ mạng học sâu ra đời từ bài báo *Attention Is All You Need* (Vaswani và cộng sự, 2017). Bản gốc là mô hình **mã hóa - giải mã**: bộ mã hóa biến mỗi token đầu vào thành một vectơ đã được đặt vào ngữ cảnh của cả câu; bộ giải mã viết đầu ra từng token một, đọc những gì nó đã viết và, qua **chú ý chéo** (cross-attention), đọc các vectơ của bộ mã hóa. BERT chỉ giữ bộ mã hóa, GPT chỉ giữ bộ giải mã: mỗi lớp là một khối có thể xếp chồng độc lập.

**Một lớp** = tự chú ý + một mạng truyền thẳng, mỗi phần có kết nối tắt (residual) và một LayerNorm. Trong **cơ chế chú ý**, mỗi token đặt một câu hỏi (truy vấn $q$), mỗi token đưa ra một khóa $k$ và một giá trị $v$; câu trả lời là $\mathrm{softmax}(q k^\top / \sqrt{d})\,v$, tức một tổ hợp có trọng số của các giá trị, nên token nào cũng đọc được mọi token khác chỉ trong một bước. Chú ý **đa đầu** chạy song song nhiều tổ hợp như vậy trên các lát nhỏ hơn của vectơ, mỗi đầu tự do tìm một kiểu quan hệ riêng, rồi ghép lại. **Mặt nạ nhân quả** đặt trọng số của các token tương lai bằng đúng 0: bộ giải mã không được nhìn trước điều nó chưa viết.

**LayerNorm đặt ở đâu.** Lớp năm 2017 chuẩn hóa *sau* khi cộng nhánh tắt (post-LN) và cần khởi động tốc độ học (warm-up); Xiong và cộng sự (2020) chỉ ra rằng chuẩn hóa *trước* mỗi lớp con (pre-LN) giữ gradient đều giữa các lớp và thường huấn luyện được mà không cần warm-up. Thí nghiệm 2 cho bạn kiểm chứng điều này trên một mô hình nhỏ: bạn thấy gì là số đo thật, không dàn dựng.

**Vì sao transformer thay thế RNN và LSTM.** (1) *Song song*: LSTM phải đọc token $t$ xong mới đọc được token $t+1$; cơ chế chú ý xử lý mọi vị trí trong một phép nhân ma trận (với chi phí tăng theo bình phương độ dài). (2) *Phụ thuộc xa*: trong cơ chế chú ý hai token bất kỳ chỉ cách nhau một bước; trong mạng hồi quy tín hiệu phải đi qua $d$ bước và gradient yếu dần trên đường đi. (3) *Mở rộng quy mô*: chính tính song song giúp tận dụng trọn GPU. Thí nghiệm 3 đo cả hai điều, kể cả chỗ chúng **không** đúng trên CPU.

**BERT, GPT, T5.** BERT (bộ mã hóa) học bằng cách **điền từ bị che** dựa vào cả hai phía: giỏi hiểu văn bản. GPT (bộ giải mã) học bằng cách **đoán token tiếp theo** dưới mặt nạ nhân quả: giỏi viết. T5 coi mọi tác vụ là **văn bản sang văn bản**, gọi tên tác vụ bằng một tiền tố ("translate English to German: ..."). Thí nghiệm 1 là một T5 tí hon; thí nghiệm 4 huấn luyện một BERT và một GPT tí hon trên cùng các câu. Sinh văn bản với một mô hình kiểu GPT thật (SmolLM2) nằm ở tab Khám phá cơ chế chú ý.
""",
    },
    "lab.tab.seq2seq": {"en": "1 · Encoder-decoder (T5 style)", "vi": "1 · Mã hóa - giải mã (kiểu T5)"},
    "lab.tab.ln": {"en": "2 · Pre-LN vs post-LN", "vi": "2 · Pre-LN và post-LN"},
    "lab.tab.lstm": {"en": "3 · Transformer vs LSTM", "vi": "3 · Transformer và LSTM"},
    "lab.tab.objectives": {"en": "4 · BERT vs GPT objectives", "vi": "4 · Mục tiêu BERT và GPT"},
    # shared controls
    "lab.steps": {"en": "Training steps", "vi": "Số bước huấn luyện"},
    "lab.d_model": {"en": "Model width (d_model)", "vi": "Độ rộng mô hình (d_model)"},
    "lab.n_layers": {"en": "Layers (encoder and decoder each)", "vi": "Số lớp (mỗi bộ mã hóa và giải mã)"},
    "lab.lr": {"en": "Peak learning rate", "vi": "Tốc độ học cực đại"},
    "lab.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên"},
    "lab.layer": {"en": "Layer", "vi": "Lớp"},
    "lab.head": {"en": "Head", "vi": "Đầu chú ý"},
    "lab.examples": {"en": "Examples", "vi": "Ví dụ"},
    "lab.where": {"en": "step {step} of {total} · {s:.1f} s of training · loss {loss:.3f}",
                  "vi": "bước {step}/{total} · {s:.1f} giây huấn luyện · mất mát {loss:.3f}"},
    "lab.where_short": {"en": "step {step} of {total} · {s:.1f} s of training",
                        "vi": "bước {step}/{total} · {s:.1f} giây huấn luyện"},
    "lab.err.train_first": {"en": "Train the model first: press Start (a few hundred steps are enough to see something).",
                            "vi": "Hãy huấn luyện mô hình trước: bấm Bắt đầu (vài trăm bước là đủ để thấy kết quả)."},
    "lab.err.ints": {"en": "{name}: write whole numbers separated by commas, e.g. 4, 16, 64",
                     "vi": "{name}: hãy viết các số nguyên cách nhau bởi dấu phẩy, ví dụ 4, 16, 64"},
    "lab.export": {"en": "Download curves (CSV) and model (safetensors)",
                   "vi": "Tải đường cong (CSV) và mô hình (safetensors)"},
    # experiment 1
    "lab.task.date_vi": {"en": "date (Vietnamese)", "vi": "ngày (tiếng Việt)"},
    "lab.task.date_en": {"en": "date (English)", "vi": "ngày (tiếng Anh)"},
    "lab.task.reverse": {"en": "reverse", "vi": "đảo ngược"},
    "lab.task.sort": {"en": "sort", "vi": "sắp xếp"},
    "lab.s2s.intro": {
        "en": "One small encoder-decoder learns several tasks at once, each named by a prefix as in T5: "
              "`date: ngày 3 tháng 4 năm 2021` → `2021-04-03`, `date: April 3rd, 2021` → `2021-04-03`, "
              "`reverse: abcd` → `dcba`, `sort: 3 1 2` → `1 2 3`. Examples are generated on the fly; exact match is "
              "measured on held-out questions the model never trained on. With the default settings, after 1,000 steps "
              "(about 80 CPU-seconds of training) exact match was 95-100% on Vietnamese dates and 85-97% on English "
              "ones over seeds 0-4, both 90% or more on 3 of the 5 seeds; after 1,250 steps, 99-100% and 98-100%.",
        "vi": "Một mô hình mã hóa - giải mã nhỏ học nhiều tác vụ cùng lúc, mỗi tác vụ được gọi tên bằng một tiền tố "
              "như T5: `date: ngày 3 tháng 4 năm 2021` → `2021-04-03`, `date: April 3rd, 2021` → `2021-04-03`, "
              "`reverse: abcd` → `dcba`, `sort: 3 1 2` → `1 2 3`. Dữ liệu được sinh ngay khi huấn luyện; độ khớp "
              "tuyệt đối được đo trên các câu hỏi để riêng mà mô hình chưa từng học. Với thiết lập mặc định, sau 1.000 bước "
              "(khoảng 80 giây CPU huấn luyện) độ khớp tuyệt đối đạt 95-100% với ngày tiếng Việt và 85-97% với ngày "
              "tiếng Anh qua các hạt giống 0-4, cả hai từ 90% trở lên với 3 trong 5 hạt giống; sau 1.250 bước là "
              "99-100% và 98-100%."},
    "lab.s2s.tasks": {"en": "Tasks trained together", "vi": "Các tác vụ học cùng nhau"},
    "lab.s2s.input": {"en": "input", "vi": "đầu vào"},
    "lab.s2s.target": {"en": "expected", "vi": "đáp án"},
    "lab.s2s.output": {"en": "model", "vi": "mô hình"},
    "lab.s2s.samples": {"en": "**Held-out examples** (checked at step {step}):",
                        "vi": "**Một số câu hỏi để riêng** (kiểm tra ở bước {step}):"},
    "lab.s2s.ask_intro": {
        "en": "**Ask the model.** Type an input (a new date in either language, a word to reverse, digits to sort). "
              "It is decoded greedily, one character per step; drag *decoder step* to watch it being written. "
              "Left: **cross-attention**, which input characters each output character read. Right: the decoder's "
              "**causal** self-attention (grey cells are masked: the future). Below: the encoder's **bidirectional** "
              "self-attention (no mask).",
        "vi": "**Hỏi mô hình.** Nhập một đầu vào (một ngày mới bằng tiếng Việt hoặc tiếng Anh, một từ cần đảo ngược, "
              "các chữ số cần sắp xếp). Mô hình giải mã tham lam, mỗi bước một ký tự; kéo *bước giải mã* để xem nó "
              "viết dần. Bên trái: **chú ý chéo**, mỗi ký tự đầu ra đã đọc những ký tự đầu vào nào. Bên phải: tự chú "
              "ý **nhân quả** của bộ giải mã (ô xám bị che: tương lai). Bên dưới: tự chú ý **hai chiều** của bộ mã "
              "hóa (không có mặt nạ)."},
    "lab.s2s.ask": {"en": "Input", "vi": "Đầu vào"},
    "lab.s2s.ask_btn": {"en": "Answer", "vi": "Trả lời"},
    "lab.s2s.upto": {"en": "Decoder step", "vi": "Bước giải mã"},
    "lab.s2s.answer": {"en": "**Output:** `{text}` (step {step} of {n})\n\nEach step's choice and its probability: {chips}",
                       "vi": "**Đầu ra:** `{text}` (bước {step}/{n})\n\nLựa chọn ở mỗi bước và xác suất của nó: {chips}"},
    "lab.s2s.clamped": {
        "en": "⚠ This model has {L} layer(s) and {H} head(s) (numbered from 0): layer {layer} head {head} does not "
              "exist, so layer {shown_layer} head {shown_head} is shown.",
        "vi": "⚠ Mô hình này có {L} lớp và {H} đầu chú ý (đánh số từ 0): không có lớp {layer} đầu {head}, nên hình "
              "dưới đây là của lớp {shown_layer} đầu {shown_head}."},
    "lab.s2s.reference": {"en": "\n\nCorrect answer: `{ref}` {ok}", "vi": "\n\nĐáp án đúng: `{ref}` {ok}"},
    # experiment 2
    "lab.ln.intro": {
        "en": "Four runs of the same 6-layer character model on the same text (`assets/lab/corpus.txt`), the same "
              "batches and the same initial weights: post-LN and pre-LN, each with and without a linear warm-up. "
              "**What we saw (seeds 0-4):** at the default learning rate 0.01 both post-LN runs stall at 3.38-3.43 "
              "nats after 200 steps, near 3.37, the loss of guessing from letter frequencies alone, and the gradients "
              "of their lower layers fall to about 0, while both pre-LN runs keep learning (2.40-3.26 nats); a "
              "100-step warm-up did not rescue post-LN at this rate on any seed. At 0.003 all four train and post-LN "
              "is even slightly ahead, on every seed (by 0.12-0.21 nats after 300 steps). Change the learning rate, the warm-up or the depth "
              "and see for yourself. Right: each layer's gradient norm (darker = deeper).",
        "vi": "Bốn lần chạy của cùng một mô hình ký tự 6 lớp trên cùng văn bản (`assets/lab/corpus.txt`), cùng các lô "
              "dữ liệu và cùng trọng số ban đầu: post-LN và pre-LN, mỗi loại có và không có warm-up tuyến tính. "
              "**Điều chúng tôi quan sát được (hạt giống 0-4):** với tốc độ học mặc định 0.01, sau 200 bước cả hai "
              "lần chạy post-LN dừng ở 3.38-3.43 nat, sát 3.37, mức mất mát khi chỉ đoán theo tần suất chữ cái, và "
              "gradient ở các lớp dưới gần như bằng 0, trong khi cả hai lần chạy pre-LN vẫn tiếp tục học "
              "(2.40-3.26 nat); với hạt giống nào warm-up 100 bước cũng không cứu được post-LN ở tốc độ này. Với "
              "0.003, cả bốn đều học và post-LN thậm chí nhỉnh hơn một chút với mọi hạt giống (hơn 0.12-0.21 nat "
              "sau 300 bước). Hãy đổi tốc độ "
              "học, warm-up hoặc độ sâu và tự kiểm chứng. Bên phải: chuẩn gradient của từng lớp (đậm hơn = sâu hơn)."},
    "lab.ln.depth": {"en": "Depth (layers)", "vi": "Độ sâu (số lớp)"},
    "lab.ln.warmup": {"en": "Warm-up steps", "vi": "Số bước warm-up"},
    "lab.ln.diverged": {"en": "diverged at step {step} (loss NaN or infinite)",
                        "vi": "phân kỳ ở bước {step} (mất mát NaN hoặc vô cùng)"},
    "lab.ln.final": {"en": "**Loss at step {step}:**", "vi": "**Mất mát ở bước {step}:**"},
    "lab.ln.run.post_nowarmup": {"en": "post-LN, no warm-up", "vi": "post-LN, không warm-up"},
    "lab.ln.run.post_warmup": {"en": "post-LN, warm-up", "vi": "post-LN, có warm-up"},
    "lab.ln.run.pre_nowarmup": {"en": "pre-LN, no warm-up", "vi": "pre-LN, không warm-up"},
    "lab.ln.run.pre_warmup": {"en": "pre-LN, warm-up", "vi": "pre-LN, có warm-up"},
    # experiment 3
    "lab.lstm.intro_a": {
        "en": "**(a) Parallelism, measured now.** Forward and training-step time of a 2-layer transformer and an LSTM "
              "with the same number of parameters, for growing sequence lengths (8 sequences, best of 3). Read what "
              "the figure shows rather than what the story predicts: on a 2-core CPU the LSTM came out *faster* at "
              "length 512 (a training step of 34.9 ms against 71.2 ms for the transformer). That is expected: "
              "self-attention compares every position with every other, so its work grows with the square of the "
              "length, while the LSTM's grows only in proportion to it. What attention buys is not CPU time at this "
              "size: it computes all positions at once, which hardware with thousands of parallel units (a GPU) "
              "turns into speed where the LSTM must still take its steps one after another, and it connects any "
              "two tokens in one step (part b). No GPU was measured for this app, so no GPU figures are shown.",
        "vi": "**(a) Tính song song, đo ngay bây giờ.** Thời gian lan truyền xuôi và một bước huấn luyện của một "
              "transformer 2 lớp và một LSTM có cùng số tham số, với độ dài chuỗi tăng dần (8 chuỗi, lấy lần nhanh "
              "nhất trong 3). Hãy đọc đúng điều hình cho thấy, đừng đọc điều câu chuyện quen thuộc hứa hẹn: trên CPU 2 "
              "nhân, ở độ dài 512 LSTM lại *nhanh hơn* (một bước huấn luyện mất 34,9 ms, transformer mất 71,2 ms). "
              "Điều đó không lạ: tự chú ý so từng vị trí với mọi vị trí khác, nên khối lượng tính toán tăng theo "
              "bình phương độ dài, còn của LSTM chỉ tăng tỉ lệ thuận với độ dài. Cái lợi của cơ chế chú ý không nằm "
              "ở thời gian CPU với kích thước này: nó tính mọi vị trí cùng một lúc, điều mà phần cứng có hàng nghìn "
              "đơn vị chạy song song (GPU) biến thành tốc độ, trong khi LSTM vẫn phải đi từng bước một; và nó nối hai "
              "token bất kỳ chỉ qua một bước (phần b). Ứng dụng này chưa được đo trên GPU nên không có số liệu GPU nào "
              "được đưa ra."},
    "lab.lstm.lengths": {"en": "Sequence lengths", "vi": "Các độ dài chuỗi"},
    "lab.lstm.time_btn": {"en": "Measure", "vi": "Đo"},
    "lab.lstm.timing_note": {
        "en": "At length {T}: training step {tf:.1f} ms (transformer) vs {ls:.1f} ms (LSTM); forward {tff:.1f} ms vs {lsf:.1f} ms.",
        "vi": "Ở độ dài {T}: một bước huấn luyện {tf:.1f} ms (transformer) so với {ls:.1f} ms (LSTM); lan truyền xuôi "
              "{tff:.1f} ms so với {lsf:.1f} ms."},
    "lab.lstm.intro_b": {
        "en": "**(b) Long range.** Each sequence starts with a token to remember (one of 8), then *d* random tokens, "
              "then a question mark: the answer is the first token. Every distance *d* trains a transformer and an "
              "LSTM of its own, with the same parameter budget, the same initial weights and the same batches; test "
              "accuracy is checked while they train (chance: 12.5%). **What we saw (seeds 0-2, 400 steps):** the "
              "transformer reached 100% at every *d*; the LSTM reached 89-100% at d = 2, 23-49% at d = 8, and stayed "
              "near chance at d = 32 (14-16%). In the LSTM the first token, and the gradient that would teach it to "
              "keep that token, must pass through all *d* steps, and each step lets only part of them through: the "
              "longer the distance, the fainter the signal to learn from. Attention reads the first token directly, "
              "whatever *d* is. The default run trained for 72-122 s on a shared 2-core CPU.",
        "vi": "**(b) Phụ thuộc xa.** Mỗi chuỗi bắt đầu bằng một token cần nhớ (một trong 8), tiếp theo là *d* token "
              "ngẫu nhiên, rồi một dấu hỏi: đáp án là token đầu tiên. Với mỗi khoảng cách *d* có một transformer và "
              "một LSTM riêng, cùng số tham số, cùng trọng số ban đầu và cùng các lô dữ liệu; độ chính xác trên tập "
              "kiểm tra được đo trong lúc huấn luyện (đoán bừa: 12,5%). **Điều chúng tôi quan sát được (hạt giống "
              "0-2, 400 bước):** transformer đạt 100% với mọi *d*; LSTM đạt 89-100% khi d = 2, 23-49% khi d = 8, "
              "và chỉ quanh mức đoán bừa khi d = 32 (14-16%). Trong LSTM, token đầu tiên, cùng với gradient dạy mô "
              "hình giữ lại token đó, phải đi qua đủ *d* bước, và mỗi bước chỉ cho một phần đi qua: khoảng cách càng "
              "xa, tín hiệu để học càng mờ. Cơ chế chú ý đọc thẳng token đầu tiên, dù *d* bằng bao nhiêu. Lần chạy "
              "mặc định mất 72-122 giây huấn luyện trên một CPU 2 nhân dùng chung."},
    "lab.lstm.distances": {"en": "Distances d", "vi": "Các khoảng cách d"},
    "lab.lstm.where": {"en": "step {step} of {total} · training time {tf:.1f} s (transformer, {ptf} parameters), "
                             "{ls:.1f} s (LSTM, {pls} parameters)",
                       "vi": "bước {step}/{total} · thời gian huấn luyện {tf:.1f} giây (transformer, {ptf} tham số), "
                             "{ls:.1f} giây (LSTM, {pls} tham số)"},
    # experiment 4
    "lab.obj.intro": {
        "en": "Two models of the same size train on the same sentences of a tiny bilingual fact corpus "
              "(\"paris is the capital of france .\", \"con mèo kêu meo meo .\"), each fact in both word orders. "
              "The **masked LM** (BERT) hides a word and guesses it from both sides; the **causal LM** (GPT) guesses "
              "each next word from the words before it.",
        "vi": "Hai mô hình cùng kích thước học trên cùng các câu của một kho dữ kiện song ngữ tí hon "
              "(\"paris is the capital of france .\", \"con mèo kêu meo meo .\"), mỗi dữ kiện được viết theo cả hai "
              "trật tự. **Mô hình che từ** (BERT) giấu một từ và đoán nó từ cả hai phía; **mô hình nhân quả** (GPT) "
              "đoán từng từ tiếp theo từ các từ đứng trước."},
    "lab.obj.mask_rate": {"en": "Share of words masked", "vi": "Tỉ lệ từ bị che"},
    "lab.obj.mlm": {"en": "masked LM (BERT)", "vi": "che từ (BERT)"},
    "lab.obj.clm": {"en": "next token (GPT)", "vi": "từ tiếp theo (GPT)"},
    "lab.obj.try": {
        "en": "**Try both.** Put `_` where a word is missing to *fill a blank*, or leave it out to *continue* the text. "
              "Below: each model's attention mask (black = may attend) and its attention on your sentence.",
        "vi": "**Thử cả hai.** Đặt `_` vào chỗ thiếu một từ để *điền vào chỗ trống*, hoặc bỏ trống để *viết tiếp* câu. "
              "Bên dưới: mặt nạ chú ý của từng mô hình (đen = được nhìn) và sự chú ý của nó trên câu của bạn."},
    "lab.obj.text": {"en": "A sentence (lower case; `_` for a blank)", "vi": "Một câu (chữ thường; `_` cho chỗ trống)"},
    "lab.obj.go": {"en": "Fill / continue", "vi": "Điền / viết tiếp"},
    "lab.obj.filled": {
        "en": "**Blank filled.** Masked LM (reads both sides): {mlm}. Causal LM (reads only the words before the blank): {clm}.",
        "vi": "**Điền chỗ trống.** Mô hình che từ (đọc cả hai phía): {mlm}. Mô hình nhân quả (chỉ đọc các từ trước chỗ "
              "trống): {clm}."},
    "lab.obj.continued": {
        "en": "**Continued.** Causal LM: *{clm}*. Masked LM (asked to fill a blank appended at the end, again and "
              "again: it never learned to write): *{mlm}*.",
        "vi": "**Viết tiếp.** Mô hình nhân quả: *{clm}*. Mô hình che từ (được yêu cầu điền một chỗ trống thêm vào cuối, "
              "lặp lại nhiều lần: nó chưa từng học cách viết): *{mlm}*."},
    # figures
    "lab.fig.step": {"en": "step", "vi": "bước"},
    "lab.fig.loss": {"en": "loss", "vi": "mất mát"},
    "lab.fig.task_loss": {"en": "Training loss per task", "vi": "Mất mát huấn luyện theo tác vụ"},
    "lab.fig.exact": {"en": "Exact match on held-out questions (%)", "vi": "Độ khớp tuyệt đối trên câu hỏi để riêng (%)"},
    "lab.fig.hover_attn": {"en": "row %{y}, column %{x}: %{z:.3f}", "vi": "hàng %{y}, cột %{x}: %{z:.3f}"},
    "lab.fig.masked": {"en": "masked (future)", "vi": "bị che (tương lai)"},
    "lab.fig.cross": {"en": "Cross-attention, layer {layer} head {head}", "vi": "Chú ý chéo, lớp {layer} đầu {head}"},
    "lab.fig.dec_self": {"en": "Decoder self-attention (causal), layer {layer} head {head}",
                         "vi": "Tự chú ý của bộ giải mã (nhân quả), lớp {layer} đầu {head}"},
    "lab.fig.enc_self": {"en": "Encoder self-attention (bidirectional), layer {layer} head {head}",
                         "vi": "Tự chú ý của bộ mã hóa (hai chiều), lớp {layer} đầu {head}"},
    "lab.fig.ln_loss": {"en": "Training loss (dotted: post-LN)", "vi": "Mất mát huấn luyện (nét chấm: post-LN)"},
    "lab.fig.ln_grads": {"en": "Gradient norm per layer", "vi": "Chuẩn gradient theo từng lớp"},
    "lab.fig.layer_n": {"en": "layer {n}", "vi": "lớp {n}"},
    "lab.fig.timing": {"en": "Time against sequence length", "vi": "Thời gian theo độ dài chuỗi"},
    "lab.fig.length": {"en": "sequence length", "vi": "độ dài chuỗi"},
    "lab.fig.transformer_forward": {"en": "transformer, forward", "vi": "transformer, lan truyền xuôi"},
    "lab.fig.transformer_train": {"en": "transformer, training step", "vi": "transformer, bước huấn luyện"},
    "lab.fig.lstm_forward": {"en": "LSTM, forward", "vi": "LSTM, lan truyền xuôi"},
    "lab.fig.lstm_train": {"en": "LSTM, training step", "vi": "LSTM, bước huấn luyện"},
    "lab.fig.transformer": {"en": "transformer", "vi": "transformer"},
    "lab.fig.lstm": {"en": "LSTM", "vi": "LSTM"},
    "lab.fig.chance": {"en": "chance", "vi": "đoán bừa"},
    "lab.fig.recall_by_d": {"en": "Test accuracy against distance d", "vi": "Độ chính xác theo khoảng cách d"},
    "lab.fig.recall_over": {"en": "Test accuracy while training", "vi": "Độ chính xác trong lúc huấn luyện"},
    "lab.fig.distance": {"en": "distance d", "vi": "khoảng cách d"},
    "lab.fig.obj_acc": {"en": "Words guessed right (%)", "vi": "Số từ đoán đúng (%)"},
    "lab.fig.mask_mlm": {"en": "Mask of the masked LM: none", "vi": "Mặt nạ của mô hình che từ: không có"},
    "lab.fig.mask_clm": {"en": "Mask of the causal LM: the past only", "vi": "Mặt nạ của mô hình nhân quả: chỉ quá khứ"},
    "lab.fig.attn_mlm": {"en": "Masked LM attention (last layer, mean of heads)",
                         "vi": "Chú ý của mô hình che từ (lớp cuối, trung bình các đầu)"},
    "lab.fig.attn_clm": {"en": "Causal LM attention (last layer, mean of heads)",
                         "vi": "Chú ý của mô hình nhân quả (lớp cuối, trung bình các đầu)"},
}
