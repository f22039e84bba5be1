"""Test-only stand-in for OpenAI gym's classic API (gym < 0.26): `make(name)`, `reset() -> obs`,
`step(action) -> (obs, reward, done, info)`, `spaces.Box` / `spaces.Discrete`.

The 1.x-era Lightning examples were written against that API; gym 0.21 no longer builds and 0.26 changed `reset`
and `step`. Every environment here has CartPole's spaces (4 floats, 2 actions) and deterministic fake dynamics:
enough to run an RL training script for a few steps, useless for learning anything.
"""

from __future__ import annotations

import numpy as np

from gym import spaces

__version__ = "0.0-stand-in"
__all__ = ["Env", "make", "spaces"]


class Env:
    observation_space: spaces.Box
    action_space: spaces.Discrete | spaces.Box


class FakeCartPole(Env):
    episode_steps = 20

    def __init__(self, seed: int = 0):
        self.observation_space = spaces.Box(low=-4.8, high=4.8, shape=(4,), dtype=np.float32)
        self.action_space = spaces.Discrete(2)
        self.random = np.random.default_rng(seed)
        self.steps = 0
        self.state = np.zeros(4, dtype=np.float32)

    def seed(self, seed: int | None = None) -> list[int]:
        self.random = np.random.default_rng(seed)
        return [seed or 0]

    def reset(self) -> np.ndarray:
        self.steps = 0
        self.state = self.random.uniform(-0.05, 0.05, size=4).astype(np.float32)
        return self.state.copy()

    def step(self, action):
        self.steps += 1
        push = 0.1 if int(action) == 1 else -0.1
        self.state = (self.state + push + self.random.normal(0, 0.01, size=4)).astype(np.float32)
        done = self.steps >= self.episode_steps or bool(np.abs(self.state).max() > 2.4)
        return self.state.copy(), 1.0, done, {}

    def render(self, *args, **kwargs) -> None:
        return None

    def close(self) -> None:
        return None


def make(name: str, **kwargs) -> Env:
    return FakeCartPole()
