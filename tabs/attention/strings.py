STRINGS = {
    "tab.attention": {"en": "Attention", "vi": "Attention"},
    "attn.lesson": {
        "en": r"""
**Attention in one line.** Each token asks a question (query $q$), every token offers a label (key $k$) and a content (value $v$). The weights $\mathrm{softmax}(qk^\top/\sqrt{d_k})$ say how much of each value a token takes: every row of a heatmap below is one token's weights and sums to 1.

- **Multi-head attention.** A layer runs several heads side by side, each with its own projections, so each can track a different relation (the previous word, the sentence start, a related noun). Their outputs are concatenated and mixed by one linear map. The overview grid shows every head of every layer at once.
- **Encoder vs decoder.** A BERT-style *encoder* (MiniLM) lets every token see the whole sentence, left and right, which suits understanding tasks. A GPT-style *decoder* (SmolLM2) uses a **causal mask**: a token sees only itself and earlier tokens, so the model can be trained to predict the next token; the masked upper triangle is drawn in grey. SmolLM2 also uses grouped-query attention (9 query heads share 3 key/value heads).
- **Pre-LN vs post-LN.** The original Transformer normalised *after* each sub-layer; most modern models (SmolLM2 included) normalise *before* it, which keeps gradients tame and lets training start without a learning-rate warm-up.
- **Why transformers replaced RNN/LSTM.** An RNN reads tokens one after another, so $T$ tokens cost $T$ sequential steps and a signal between distant words must survive $T$ steps (vanishing gradients). Attention links any two tokens in one step and processes all positions in parallel, which is what makes training on large data sets fast.

*Read the maps:* a bright sub-diagonal is a "previous token" head; a bright first column is an attention *sink*; an even spread is a broad, averaging head. Attention weights show where information flows, not a full explanation of the prediction.
""",
        "vi": r"""
**Attention trong một câu.** Mỗi token đặt một câu hỏi (truy vấn $q$), mọi token đưa ra một nhãn (khóa $k$) và một nội dung (giá trị $v$). Trọng số $\mathrm{softmax}(qk^\top/\sqrt{d_k})$ cho biết token lấy bao nhiêu từ mỗi giá trị: mỗi hàng của bản đồ nhiệt bên dưới là trọng số của một token và có tổng bằng 1.

- **Chú ý đa đầu.** Mỗi lớp chạy song song nhiều đầu, mỗi đầu có phép chiếu riêng nên theo dõi một quan hệ khác nhau (từ liền trước, đầu câu, danh từ liên quan). Kết quả các đầu được ghép lại rồi trộn bằng một phép biến đổi tuyến tính. Lưới tổng quan hiển thị mọi đầu của mọi lớp cùng lúc.
- **Bộ mã hóa và bộ giải mã.** Bộ *mã hóa* kiểu BERT (MiniLM) cho mỗi token nhìn cả câu, cả trái lẫn phải, hợp với các tác vụ hiểu ngôn ngữ. Bộ *giải mã* kiểu GPT (SmolLM2) dùng **mặt nạ nhân quả**: token chỉ thấy chính nó và các token đứng trước, nhờ vậy mô hình học dự đoán token kế tiếp; tam giác trên bị che được tô màu xám. SmolLM2 còn dùng chú ý theo nhóm truy vấn (9 đầu truy vấn dùng chung 3 đầu khóa/giá trị).
- **Pre-LN và post-LN.** Transformer gốc chuẩn hóa lớp *sau* mỗi khối con; đa số mô hình hiện đại (kể cả SmolLM2) chuẩn hóa *trước* khối, giúp gradient ổn định và có thể huấn luyện mà không cần giai đoạn khởi động tốc độ học.
- **Vì sao Transformer thay thế RNN/LSTM.** RNN đọc lần lượt từng token, nên $T$ token cần $T$ bước tuần tự và tín hiệu giữa hai từ cách xa phải đi qua $T$ bước (gradient tiêu biến). Attention nối hai token bất kỳ chỉ trong một bước và xử lý mọi vị trí song song, nhờ đó huấn luyện trên dữ liệu lớn nhanh hơn nhiều.

*Cách đọc bản đồ:* đường chéo phụ sáng là đầu "token liền trước"; cột đầu tiên sáng là *điểm hút* (sink) của attention; trải đều là đầu chú ý rộng, lấy trung bình. Trọng số attention cho thấy thông tin chảy đi đâu, chứ chưa phải lời giải thích đầy đủ cho dự đoán.
""",
    },
    "attn.model": {"en": "Model", "vi": "Mô hình"},
    "attn.model_info": {
        "en": "Offline: minilm (encoder) or smollm2 (decoder). Online: type any hub id.",
        "vi": "Ngoại tuyến: minilm (bộ mã hóa) hoặc smollm2 (bộ giải mã). Khi có mạng: gõ mã mô hình bất kỳ trên hub.",
    },
    "attn.text": {"en": "Sentence", "vi": "Câu văn"},
    "attn.text_ph": {"en": "Type a sentence (any language, emoji welcome)", "vi": "Nhập một câu (ngôn ngữ bất kỳ, có thể dùng emoji)"},
    "attn.max_tokens": {"en": "Token cap", "vi": "Giới hạn số token"},
    "attn.max_tokens_info": {"en": "4 to 1,024; longer text is truncated (with a notice)",
                             "vi": "Từ 4 đến 1.024; văn bản dài hơn sẽ bị cắt (có thông báo)"},
    "attn.run": {"en": "Show attention", "vi": "Xem attention"},
    "attn.model.minilm": {"en": "MiniLM-L6 · encoder", "vi": "MiniLM-L6 · bộ mã hóa"},
    "attn.model.smollm2": {"en": "SmolLM2-135M · decoder", "vi": "SmolLM2-135M · bộ giải mã"},
    "attn.examples": {"en": "Examples", "vi": "Ví dụ (hai mô hình được huấn luyện trên tiếng Anh: câu tiếng Việt bị "
                                            "cắt thành nhiều mảnh nhỏ, nên attention khó đọc hơn)"},
    "attn.layer": {"en": "Layer", "vi": "Lớp"},
    "attn.head": {"en": "Head", "vi": "Đầu"},
    "attn.view": {"en": "What to show", "vi": "Hiển thị"},
    "attn.view.head": {"en": "One head", "vi": "Một đầu"},
    "attn.view.mean": {"en": "Average of the layer's heads", "vi": "Trung bình các đầu của lớp"},
    "attn.view.rollout": {"en": "Rollout up to this layer", "vi": "Rollout tới lớp này"},
    "attn.hide_special": {"en": "Hide special tokens", "vi": "Ẩn token đặc biệt"},
    "attn.hide_special_info": {"en": "Rows are not renormalised", "vi": "Các hàng không được chuẩn hóa lại"},
    "attn.heatmap": {"en": "Heatmap", "vi": "Bản đồ nhiệt"},
    "attn.grid": {"en": "All layers × heads (click a tile to open it)", "vi": "Mọi lớp × đầu (nhấn vào một ô để mở)"},
    "attn.grid_title": {"en": "#### All layers × heads: click a tile to open it large", "vi": "#### Mọi lớp × đầu: nhấn vào một ô để phóng to"},
    "attn.grid_legend": {
        "en": "Each tile is one head (L = layer, H = head, counted from 0); each tile is scaled to its own maximum, and grey cells are masked future tokens. Frame colours mark a clear pattern: <span style='color:#f97316'>■ previous token</span> · <span style='color:#ef4444'>■ first-token sink</span> · <span style='color:#06b6d4'>■ broad</span>.",
        "vi": "Mỗi ô là một đầu (L = lớp, H = đầu, đánh số từ 0); mỗi ô được chia theo giá trị lớn nhất của riêng nó, ô xám là token tương lai bị che. Màu viền đánh dấu mẫu rõ rệt: <span style='color:#f97316'>■ token liền trước</span> · <span style='color:#ef4444'>■ hút về token đầu</span> · <span style='color:#06b6d4'>■ chú ý rộng</span>.",
    },
    "attn.side_next": {"en": "Next-token prediction", "vi": "Dự đoán token kế tiếp"},
    "attn.side_future": {"en": "Share of attention on later tokens, per layer", "vi": "Tỉ lệ attention dành cho các token phía sau, theo lớp"},
    "attn.query": {"en": "Query token", "vi": "Token truy vấn"},
    "attn.token_row": {"en": "One token across all heads of the layer", "vi": "Một token qua mọi đầu của lớp"},
    "attn.ablate": {"en": "Switch heads off (ablation)", "vi": "Tắt bớt đầu (ablation)"},
    "attn.ablate_heads": {"en": "Heads to switch off (layer:head, …)", "vi": "Các đầu cần tắt (lớp:đầu, …)"},
    "attn.ablate_heads_ph": {"en": "e.g. 3:1, 4:2", "vi": "ví dụ 3:1, 4:2"},
    "attn.ablate_add": {"en": "Add the head shown", "vi": "Thêm đầu đang xem"},
    "attn.ablate_run": {"en": "Compare next-token predictions", "vi": "So sánh dự đoán token kế tiếp"},
    "attn.ablate_help": {
        "en": "A switched-off head still computes its weights, but its output is zeroed before the layer's output projection, so later layers no longer receive it.",
        "vi": "Đầu bị tắt vẫn tính trọng số, nhưng đầu ra của nó bị đặt về 0 trước phép chiếu đầu ra của lớp, nên các lớp sau không còn nhận được nó.",
    },
    "attn.compare": {"en": "Compare two sentences", "vi": "So sánh hai câu"},
    "attn.text_b": {"en": "Second sentence", "vi": "Câu thứ hai"},
    "attn.compare_run": {"en": "Compare", "vi": "So sánh"},
    "attn.export": {"en": "Export", "vi": "Xuất dữ liệu"},
    "attn.export_png": {"en": "Heatmap as a slide (PNG, 1280 × 720)", "vi": "Bản đồ nhiệt cho trang chiếu (PNG, 1280 × 720)"},
    "attn.export_svg": {"en": "Heatmap as a slide (SVG)", "vi": "Bản đồ nhiệt cho trang chiếu (SVG)"},
    "attn.export_npz": {"en": "Raw attention as NPZ", "vi": "Attention thô dạng NPZ"},
    "attn.export_file": {"en": "File", "vi": "Tệp"},
    # messages
    "attn.err.model": {
        "en": "'{name}' is not an available model: choose MiniLM or SmolLM2, or type a Hugging Face hub id such as 'bert-base-uncased' or 'owner/name' (online only).",
        "vi": "'{name}' không phải là mô hình dùng được: hãy chọn MiniLM hoặc SmolLM2, hoặc nhập mã mô hình trên Hugging Face như 'bert-base-uncased' hay 'chủ-sở-hữu/tên' (cần có mạng)."},
    "attn.err.offline": {
        "en": "'{name}' cannot be loaded here: it is not packaged, it is not in this machine's model cache, and the "
              "Hugging Face hub cannot be reached (offline). Choose MiniLM or SmolLM2.",
        "vi": "Không nạp được '{name}' trên máy này: mô hình không có sẵn trong gói, không nằm trong bộ nhớ đệm mô "
              "hình của máy, và không kết nối được Hugging Face hub (đang ngoại tuyến). Hãy chọn MiniLM hoặc SmolLM2."},
    "attn.err.empty": {"en": "The text is empty: type a sentence first.", "vi": "Văn bản đang trống: hãy nhập một câu trước."},
    "attn.err.no_run": {"en": "Press “Show attention” first.", "vi": "Hãy nhấn “Xem attention” trước."},
    "attn.err.decoder_only": {
        "en": "Next-token effects need a decoder: choose smollm2 (or another causal model).",
        "vi": "Hiệu ứng lên token kế tiếp cần một bộ giải mã: hãy chọn smollm2 (hoặc mô hình nhân quả khác).",
    },
    "attn.err.no_heads": {"en": "List at least one head as layer:head, e.g. 3:1.", "vi": "Hãy liệt kê ít nhất một đầu theo dạng lớp:đầu, ví dụ 3:1."},
    "attn.summary": {
        "en": "**{model}** · {kind} · {layers} layers × {heads} heads ({kv} key/value heads) · {params:,} parameters · {n} tokens · forward pass {ms:.0f} ms · loaded from {source} in {load:.1f} s",
        "vi": "**{model}** · {kind} · {layers} lớp × {heads} đầu ({kv} đầu khóa/giá trị) · {params:,} tham số · {n} token · lượt truyền xuôi {ms:.0f} ms · nạp từ {source} trong {load:.1f} s",
    },
    "attn.source.package": {"en": "package", "vi": "gói cài đặt"},
    "attn.source.cache": {"en": "cache", "vi": "bộ nhớ đệm"},
    "attn.source.hub": {"en": "hub", "vi": "Hugging Face hub"},
    "attn.kind.encoder": {"en": "encoder, bidirectional", "vi": "bộ mã hóa, hai chiều"},
    "attn.kind.decoder": {"en": "decoder, causal mask", "vi": "bộ giải mã, mặt nạ nhân quả"},
    "attn.truncated": {
        "en": "⚠️ The text has {n} tokens; only the first {cap} are shown (raise the token cap to see more).",
        "vi": "⚠️ Văn bản có {n} token; chỉ {cap} token đầu được hiển thị (tăng giới hạn để xem thêm).",
    },
    "attn.future_note": {
        "en": "Attention on later tokens, averaged over layers: **{pct:.1f}%**.",
        "vi": "Tỉ lệ attention dành cho token phía sau, trung bình qua các lớp: **{pct:.1f}%**.",
    },
    "attn.ablation_result": {
        "en": "Switched off {heads}: KL(before ‖ after) = **{kl:.4f}** nats, total variation = **{tv:.3f}**. Top token before: “{a}”, after: “{b}”.",
        "vi": "Đã tắt {heads}: KL(trước ‖ sau) = **{kl:.4f}** nats, khoảng cách biến phân toàn phần = **{tv:.3f}**. Token đứng đầu trước: “{a}”, sau: “{b}”.",
    },
    # figure texts
    "attn.fig.key": {"en": "key (attended-to token)", "vi": "khóa (token được chú ý)"},
    "attn.fig.query": {"en": "query (attending token)", "vi": "truy vấn (token đang chú ý)"},
    "attn.fig.weight": {"en": "weight", "vi": "trọng số"},
    "attn.fig.masked": {"en": "masked: a future token", "vi": "bị che: token tương lai"},
    "attn.fig.title_head": {"en": "Layer {layer}, head {head}", "vi": "Lớp {layer}, đầu {head}"},
    "attn.fig.title_mean": {"en": "Layer {layer}, average of {n} heads", "vi": "Lớp {layer}, trung bình {n} đầu"},
    "attn.fig.title_rollout": {"en": "Attention rollout, layers 0–{layer}", "vi": "Attention rollout, lớp 0–{layer}"},
    "attn.fig.prob": {"en": "probability", "vi": "xác suất"},
    "attn.fig.before": {"en": "all heads", "vi": "đủ các đầu"},
    "attn.fig.after": {"en": "heads switched off", "vi": "đã tắt đầu"},
    "attn.fig.share": {"en": "share of weight on later tokens", "vi": "tỉ lệ trọng số cho token phía sau"},
    "attn.fig.heads": {"en": "head", "vi": "đầu"},
    "attn.fig.row_title": {"en": "Layer {layer}: where “{token}” looks, head by head", "vi": "Lớp {layer}: “{token}” nhìn vào đâu, theo từng đầu"},
    # the step-by-step generation panel (generate.py)
    "gen.title": {"en": "Generate text step by step (GPT-style decoder)", "vi": "Sinh văn bản từng bước (bộ giải mã kiểu GPT)"},
    "gen.help": {
        "en": "A decoder writes one token at a time: it turns the text so far into a probability for every token of "
              "its vocabulary, one token is chosen, appended, and the loop goes on. **Temperature** divides the scores "
              "before the softmax (0 = always the most likely token, i.e. greedy; above 1 flatter, more surprising); "
              "**top-k** keeps only the k most likely tokens; **top-p** keeps the most likely tokens until their "
              "probabilities add up to p. At temperature 0 the text is exactly what `model.generate` gives. The "
              "heatmap shows where the newest position looked (each layer, mean of heads) when it chose a token; "
              "move the slider to inspect an earlier step.",
        "vi": "Bộ giải mã viết từng token một: nó biến đoạn văn bản hiện có thành một xác suất cho mọi token trong từ "
              "vựng, chọn một token, nối vào, rồi lặp lại. **Nhiệt độ** chia các điểm số trước softmax (0 = luôn chọn "
              "token khả dĩ nhất, tức giải mã tham lam; lớn hơn 1 thì phân bố phẳng hơn, bất ngờ hơn); **top-k** chỉ "
              "giữ k token khả dĩ nhất; **top-p** giữ các token khả dĩ nhất cho đến khi tổng xác suất đạt p. Ở nhiệt độ "
              "0, văn bản đúng bằng kết quả của `model.generate`. Bản đồ nhiệt cho thấy vị trí mới nhất đã nhìn vào đâu "
              "(từng lớp, trung bình các đầu) khi chọn một token; kéo thanh trượt để xem một bước trước đó."},
    "gen.prompt": {"en": "Prompt", "vi": "Câu mở đầu"},
    "gen.model": {"en": "Model", "vi": "Mô hình"},
    "gen.max_new_tokens": {"en": "New tokens (at most)", "vi": "Số token mới (tối đa)"},
    "gen.temperature": {"en": "Temperature", "vi": "Nhiệt độ"},
    "gen.temperature_info": {"en": "0 = greedy", "vi": "0 = tham lam"},
    "gen.top_k": {"en": "Top-k", "vi": "Top-k"},
    "gen.top_k_info": {"en": "0 = off", "vi": "0 = tắt"},
    "gen.top_p": {"en": "Top-p", "vi": "Top-p"},
    "gen.top_p_info": {"en": "1 = off", "vi": "1 = tắt"},
    "gen.seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên"},
    "gen.run": {"en": "Generate", "vi": "Sinh văn bản"},
    "gen.table": {"en": "Each step: chosen token, its probability after the cut and for the model, tokens kept, "
                        "the model's top alternatives",
                  "vi": "Từng bước: token được chọn, xác suất sau khi cắt và xác suất của mô hình, số token còn giữ, "
                        "các lựa chọn hàng đầu của mô hình"},
    "gen.col.step": {"en": "#", "vi": "#"},
    "gen.col.token": {"en": "token", "vi": "token"},
    "gen.col.p": {"en": "p %", "vi": "p %"},
    "gen.col.p_model": {"en": "p model %", "vi": "p mô hình %"},
    "gen.col.kept": {"en": "kept", "vi": "số giữ lại"},
    "gen.col.alternatives": {"en": "alternatives", "vi": "lựa chọn khác"},
    "gen.pick": {"en": "Inspect step", "vi": "Xem bước"},
    "gen.loading": {"en": "⋯ Loading the model and reading the prompt…", "vi": "⋯ Đang nạp mô hình và đọc câu mở đầu…"},
    "gen.progress": {"en": "*{n} tokens · last step {ms:.0f} ms · token ids: {ids}*",
                     "vi": "*{n} token · bước cuối {ms:.0f} ms · mã token: {ids}*"},
    "gen.attn_title": {"en": "Step {n}: where the newest position looked before choosing “{token}”",
                       "vi": "Bước {n}: vị trí mới nhất đã nhìn vào đâu trước khi chọn “{token}”"},
    "gen.layer": {"en": "layer", "vi": "lớp"},
    "gen.hover": {"en": "layer %{y}, token %{x}: %{z:.3f}", "vi": "lớp %{y}, token %{x}: %{z:.3f}"},
}
