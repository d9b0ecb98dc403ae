"""The Transformer Lab's claims, on its default presets (slow: each trains a real model to the end)."""

from __future__ import annotations

from playground.lab import lstm, seq2seq


def test_seq2seq_preset_translates_held_out_dates_in_both_languages():
    lab = seq2seq.Seq2SeqLab(seq2seq.preset_config("default"))
    for _ in lab.run():
        pass
    assert lab.exact["date_vi"] >= 0.9 and lab.exact["date_en"] >= 0.9, lab.exact
    assert lab.answer("date: ngày 9 tháng 11 năm 1989").text == "1989-11-09"


def test_transformer_beats_lstm_at_the_longest_default_distance():
    lab = lstm.LongRangeLab(lstm.preset_config("default"))
    for _ in lab.run():
        pass
    d = max(lab.cfg.distances)
    assert lab.accuracy["transformer"][d] > lab.accuracy["lstm"][d] + 0.1, lab.accuracy


def test_the_transformer_beats_the_lstm_on_every_seed_tried():
    """The claim over seeds (benchmarks/claims.py: a 60-74 point lead on seeds 0-4); seeds 1-2 here."""
    for seed in (1, 2):
        lab = lstm.LongRangeLab(lstm.preset_config("default", seed=seed))
        for _ in lab.run():
            pass
        d = max(lab.cfg.distances)
        assert lab.accuracy["transformer"][d] > lab.accuracy["lstm"][d] + 0.3, (seed, lab.accuracy)

