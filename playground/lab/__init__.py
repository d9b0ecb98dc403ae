"""Transformer Lab: small transformers written from scratch and trained live on a CPU.

- ``model``: the transformer itself (attention, pre/post-LN blocks, encoder, decoder, LM heads).
- ``seq2seq`` (+ ``tasks``, ``vocab``): a T5-style encoder-decoder on toy text-to-text tasks.
- ``ln`` (+ ``textdata``): pre-LN vs post-LN, with and without warm-up.
- ``lstm``: transformer vs LSTM, time against length and recall over distance.
- ``objectives`` (+ ``facts``): masked-LM (BERT) vs next-token (GPT) on the same sentences.
- ``common``: schedule, optimizer, gradient norms, exports; ``cli``: ``python -m playground lab ...``.
"""
