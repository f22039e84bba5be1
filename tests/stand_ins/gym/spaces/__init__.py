"""gym.spaces: `Box` and `Discrete`, importable as gym.spaces.box.Box / gym.spaces.discrete.Discrete too."""

from gym.spaces.box import Box
from gym.spaces.discrete import Discrete

__all__ = ["Box", "Discrete"]
