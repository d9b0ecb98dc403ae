"""Toy text-to-text tasks, T5 style: the task is named by a prefix of the input text.

    date: ngày 3 tháng 4 năm 2021   ->  2021-04-03      (task "date_vi")
    date: April 3rd, 2021           ->  2021-04-03      (task "date_en")
    reverse: abcd                   ->  dcba
    sort: 3 1 2                     ->  1 2 3

Examples are generated on the fly from a ``random.Random(seed)``. A held-out test set is drawn once
from its own seed; training never sees an input of it (``TaskStream`` skips them), so exact match on it
measures generalisation, not memory.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass

TASKS = ("date_vi", "date_en", "reverse", "sort")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
YEARS = (1900, 2099)
MAX_REVERSE = 8
MAX_SORT = 6
TEST_SEED = 10_000_019  # the held-out set's own seed, far from any user seed


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def random_date(rng: random.Random) -> tuple[int, int, int]:
    year = rng.randint(*YEARS)
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return day, month, year


def date_vi(day: int, month: int, year: int, style: int = 0) -> str:
    if style == 0:
        return f"date: ngày {day} tháng {month} năm {year}"
    return f"date: {day} tháng {month}, {year}"


def date_en(day: int, month: int, year: int, style: int = 0) -> str:
    if style == 0:
        return f"date: {MONTHS_EN[month - 1]} {ordinal(day)}, {year}"
    return f"date: {day} {MONTHS_EN[month - 1]} {year}"


def iso(day: int, month: int, year: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def make_example(task: str, rng: random.Random) -> tuple[str, str]:
    """(input text, target text) of one random example of ``task``."""
    if task == "date_vi":
        d = random_date(rng)
        return date_vi(*d, style=rng.random() < 0.3), iso(*d)
    if task == "date_en":
        d = random_date(rng)
        return date_en(*d, style=rng.random() < 0.3), iso(*d)
    if task == "reverse":
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, MAX_REVERSE)))
        return f"reverse: {word}", word[::-1]
    if task == "sort":
        nums = [rng.randint(0, 9) for _ in range(rng.randint(2, MAX_SORT))]
        return "sort: " + " ".join(map(str, nums)), " ".join(map(str, sorted(nums)))
    raise ValueError(f"unknown task {task!r}; choose from {', '.join(TASKS)}")


def task_of(text: str) -> str | None:
    """Which task an input names (dates: Vietnamese if it says 'tháng'), or None."""
    prefix, _, rest = text.partition(":")
    prefix = prefix.strip().lower()
    if prefix == "date":
        return "date_vi" if "tháng" in rest.lower() else "date_en"
    return prefix if prefix in TASKS else None


def reference(text: str) -> str | None:
    """The correct answer for a typed input when it can be computed (reverse, sort, well-formed dates)."""
    task = task_of(text)
    rest = text.partition(":")[2].strip()
    if task == "reverse":
        return rest[::-1]
    if task == "sort":
        try:
            return " ".join(map(str, sorted(int(x) for x in rest.split())))
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class TestSet:
    inputs: dict[str, list[str]]  # task -> inputs
    targets: dict[str, list[str]]

    @property
    def all_inputs(self) -> set[str]:
        return {x for xs in self.inputs.values() for x in xs}


def test_set(tasks: tuple[str, ...], per_task: int) -> TestSet:
    """The held-out examples, the same for every seed (so two runs are scored on the same questions)."""
    rng = random.Random(TEST_SEED)
    inputs, targets = {}, {}
    for task in tasks:
        seen: dict[str, str] = {}
        while len(seen) < per_task:
            x, y = make_example(task, rng)
            seen.setdefault(x, y)
        inputs[task], targets[task] = list(seen), list(seen.values())
    return TestSet(inputs, targets)


class TaskStream:
    """Endless training examples of the chosen tasks, mixed with the given weights, never a test input."""

    def __init__(self, tasks: tuple[str, ...], weights: tuple[float, ...], seed: int, exclude: set[str]) -> None:
        self.tasks, self.weights, self.exclude = tasks, weights, exclude
        self.rng = random.Random(seed)

    def batch(self, n: int) -> tuple[list[str], list[str], list[str]]:
        """n examples: (task names, inputs, targets)."""
        names, xs, ys = [], [], []
        while len(xs) < n:
            task = self.rng.choices(self.tasks, self.weights)[0]
            x, y = make_example(task, self.rng)
            if x in self.exclude:
                continue
            names.append(task)
            xs.append(x)
            ys.append(y)
        return names, xs, ys
