"""What both sides of the MNIST pair share: the model, its hyper-parameters and the epoch summary."""

from __future__ import annotations

from typing import Any

import torch.nn.functional as F
from torch import Tensor, nn

LEARNING_RATE = 1e-3


class MLP(nn.Module):
    """28*28 -> 128 -> 256 -> 10 with ReLU; returns log-probabilities (pair it with NLL loss)."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, images: Tensor) -> Tensor:  # images: (B, 1, 28, 28)
        x = images.flatten(1)  # (B, 784)
        x = F.relu(self.fc1(x))  # (B, 128)
        x = F.relu(self.fc2(x))  # (B, 256)
        return F.log_softmax(self.fc3(x), dim=1)  # (B, 10)


def summarise(batches: list[dict[str, Any]]) -> dict[str, float]:
    """One epoch's validation batches -> sample-weighted mean loss and accuracy (float64)."""
    count = sum(int(b["count"]) for b in batches)
    loss = sum(float(b["loss"]) * int(b["count"]) for b in batches) / count
    correct = sum(int(b["correct"]) for b in batches)
    return {"val_loss": loss, "val_acc": correct / count}

