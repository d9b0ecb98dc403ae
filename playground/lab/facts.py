"""A tiny corpus of facts for experiment 4, in English and Vietnamese, drawn sentence by sentence from a seed.

Every fact appears in both orders ("paris is the capital of france" / "the capital of france is paris"),
so a blank at the start of a sentence can only be filled by reading to its right: what a masked LM can
do and a causal LM cannot.
"""

from __future__ import annotations

import random

CAPITALS = [("france", "pháp", "paris"), ("japan", "nhật bản", "tokyo"), ("vietnam", "việt nam", "hà nội"),
            ("italy", "ý", "rome"), ("egypt", "ai cập", "cairo"), ("peru", "peru", "lima"),
            ("kenya", "kenya", "nairobi"), ("spain", "tây ban nha", "madrid"), ("laos", "lào", "viêng chăn"),
            ("thailand", "thái lan", "bangkok"), ("germany", "đức", "berlin"), ("canada", "canada", "ottawa")]
ANIMALS = [("cat", "mèo", "meow", "meo meo"), ("dog", "chó", "woof", "gâu gâu"), ("cow", "bò", "moo", "ùm bò"),
           ("duck", "vịt", "quack", "cạp cạp"), ("rooster", "gà trống", "cock-a-doodle-doo", "ò ó o"),
           ("sheep", "cừu", "baa", "be be")]
COLOURS = [("grass", "cỏ", "green", "xanh"), ("snow", "tuyết", "white", "trắng"), ("sky", "bầu trời", "blue", "xanh"),
           ("blood", "máu", "red", "đỏ"), ("coal", "than", "black", "đen"), ("banana", "chuối", "yellow", "vàng")]


def sentences() -> list[str]:
    """Every sentence the corpus can hold (each about one fact, in one order, in one language)."""
    out = []
    for en, vi, city in CAPITALS:
        out += [f"{city} is the capital of {en} .", f"the capital of {en} is {city} .",
                f"{city} là thủ đô của {vi} .", f"thủ đô của {vi} là {city} ."]
    for en, vi, sound_en, sound_vi in ANIMALS:
        out += [f"the {en} says {sound_en} .", f"{sound_en} says the {en} .",
                f"con {vi} kêu {sound_vi} .", f"{sound_vi} là tiếng con {vi} ."]
    for en, vi, c_en, c_vi in COLOURS:
        out += [f"the {en} is {c_en} .", f"{c_en} is the colour of the {en} .",
                f"{vi} màu {c_vi} .", f"màu {c_vi} là màu của {vi} ."]
    return out


def stream(n_sentences: int, seed: int) -> str:
    """``n_sentences`` random sentences of the corpus, one per line."""
    rng = random.Random(seed)
    all_ = sentences()
    return "\n".join(rng.choice(all_) for _ in range(n_sentences))
