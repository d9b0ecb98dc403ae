"""The pretrained MiniLM encoder with a classification head: loaded once, copied per run.

The model is all-MiniLM-L6-v2 (6 BERT layers, hidden 384) with a fresh classification head
(``BertForSequenceClassification``: CLS -> pooler (dense + tanh) -> dropout -> linear).

**No dropout.** The fine-tuned copy is loaded with every dropout probability set to 0 (hidden,
attention, classifier). Dropout draws from the process-wide random generator, which the app's other
threads draw from too, so a seed would not reproduce a run while other people train; attention
dropout happens inside the SDPA kernel, out of reach of a private generator. Races are 1-3 epochs,
where dropout barely matters, and the benchmark gives the Trainer recipe the same model config.
(LoRA's own dropout, when asked for, is a ``training.SeededDropout`` on the run's generator.)

Every load goes through ``playground.models.load_once`` (its one loading lock, no cached failure), so a first race and a
first attention request never import or load transformers in two threads at once.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from playground.kit.pretrained import check_loaded, load_once

NO_DROPOUT = dict(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, classifier_dropout=0.0)


def tokenizer():
    """The MiniLM tokenizer, loaded once per process."""

    def load():
        from transformers import AutoTokenizer

        from playground.kit.pretrained import minilm_path

        return AutoTokenizer.from_pretrained(minilm_path())

    return load_once(("finetune", "tokenizer"), load)


def _template(num_labels: int) -> nn.Module:
    """The pristine pretrained model with a ``num_labels`` head, loaded once; only ever deep-copied."""

    def load():
        from transformers import AutoModelForSequenceClassification
        from transformers.utils import logging as hf_logging

        from playground.kit.pretrained import minilm_path

        hf_logging.disable_progress_bar()
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # "classifier.* newly initialised" is expected here
        try:
            model = AutoModelForSequenceClassification.from_pretrained(
                minilm_path(), num_labels=num_labels, attn_implementation="sdpa", **NO_DROPOUT)
        finally:
            hf_logging.set_verbosity(verbosity)
        check_loaded(model, "MiniLM")  # a half-loaded model fails loudly and is not cached
        return model.eval().requires_grad_(False)

    return load_once(("finetune", "minilm-classifier", num_labels), load)


@torch.no_grad()
def init_like_bert_(module: nn.Module, std: float, generator: torch.Generator) -> None:
    """BERT's own initialisation (normal(0, std) matrices and embeddings, zero biases, LayerNorm 1/0),
    drawn from ``generator``: the same architecture with random weights a run can reproduce."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, std, generator=generator)
            if m.bias is not None:
                m.bias.zero_()
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, std, generator=generator)
            if m.padding_idx is not None:
                m.weight[m.padding_idx].zero_()
        elif isinstance(m, nn.LayerNorm):
            m.weight.fill_(1.0)
            m.bias.zero_()


def fresh_model(num_labels: int, seed: int, pretrained: bool = True) -> nn.Module:
    """A private copy of the encoder with a new head initialised from ``seed``.

    Every strategy of a race gets the same head for the same seed, so they start from one point.
    ``pretrained=False``: the encoder's weights are replaced by a random BERT initialisation from a
    generator seeded with ``seed`` (the from-scratch baseline)."""
    model = copy.deepcopy(_template(num_labels))
    std = model.config.initializer_range
    with torch.no_grad():
        if not pretrained:
            init_like_bert_(model.bert, std, torch.Generator().manual_seed(seed))
        g = torch.Generator().manual_seed(seed)
        model.classifier.weight.copy_(torch.randn(model.classifier.weight.shape, generator=g) * std)
        model.classifier.bias.zero_()
    return model.requires_grad_(True)
