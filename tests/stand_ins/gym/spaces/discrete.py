"""`Discrete(n)`: what scripts read (`n`, `shape`, `sample()`)."""

from __future__ import annotations

import numpy as np


class Discrete:
    def __init__(self, n: int):
        self.n = n
        self.shape = ()

    def sample(self) -> int:
        return int(np.random.randint(self.n))
