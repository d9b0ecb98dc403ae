"""Strings of the step-by-step generation panel (tabs/generate.py), shown in the Attention Explorer."""

STRINGS = {
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
