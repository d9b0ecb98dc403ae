"""Transformer Lab: small transformers written from scratch and trained live on a CPU.

- ``model``: the transformer itself (attention, pre/post-LN blocks, encoder, decoder, LM heads).
- ``seq2seq`` (+ ``tasks``, ``vocab``): a T5-style encoder-decoder on toy text-to-text tasks.
- ``ln`` (+ ``textdata``): pre-LN vs post-LN, with and without warm-up.
- ``lstm``: transformer vs LSTM, time against length and recall over distance.
- ``objectives`` (+ ``facts``): masked-LM (BERT) vs next-token (GPT) on the same sentences.
- ``common``: the optimizer, gradient norms, exports; ``cli``: ``python -m playground lab ...``;
  ``recorder``: the shipped recordings of the four default runs.
- ``ideas``: three quick measurements on random-initialised models (``python -m playground ideas``).
"""

from playground.kit.registry import Experiment, register

register(Experiment("lab", "Transformer Lab: seq2seq, pre/post-LN, transformer vs LSTM, BERT vs GPT objectives",
                    cli="playground.lab.cli", order=20,
                    recorders={"lab_seq2seq": "playground.lab.recorder:seq2seq_recorder",
                               "lab_ln": "playground.lab.recorder:ln_recorder",
                               "lab_lstm": "playground.lab.recorder:lstm_recorder",
                               "lab_objectives": "playground.lab.recorder:objectives_recorder"}))
register(Experiment("ideas", "RNN vs attention (parallelism, long range), pre-LN vs post-LN, measured",
                    cli="playground.lab.ideas", order=21))
