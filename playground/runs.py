"""What every live run shares: how a run reports that it diverged."""

from __future__ import annotations


class Diverged(ValueError):
    """A loss became NaN or infinite: the run stops and the last finite figures stay on screen."""

    def __init__(self, step: int, what: str = "loss") -> None:
        self.step, self.what = step, what
        super().__init__(f"training diverged at step {step}: the {what} became NaN or infinite")
