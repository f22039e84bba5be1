"""Watches one side of a pair train, from outside its code: nothing in plain.py or lightning.py knows it is there.

What it attaches, the same on both sides:
  * `torch.Tensor.backward`: every loss handed to backward() (`loss.backward()` on the plain side, Lightning's
    automatic optimization and `manual_backward` on the other), named by the pair's LOSSES in call order;
  * a global optimizer step hook (`torch.optim.optimizer.register_optimizer_step_post_hook`): the total
    gradient norm each optimizer step used (after any clipping), so gradients are compared too;
  * `torch.nn.utils.clip_grad_norm_` (called by the plain loop, and by Lightning for `gradient_clip_val`): the
    norm it measured before clipping;
  * the side's own `validation_step` (the plain function, or the LightningModule's method), wrapped to keep
    what it returns; Lightning's sanity-check batches are skipped, as they are not part of training.
Validation batches between two training steps form one epoch, summarised by the pair's SUMMARISE.
Losses are float32 tensors turned into Python floats, a conversion that is exact: comparing the floats
with `==` compares the float32 values bit for bit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from pairs.harness.record import RunResult


def _scalar(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, torch.Tensor):
        return value.item() if value.numel() == 1 else None
    return float(value) if isinstance(value, (int, float)) else None


class Probe:
    def __init__(self, losses: tuple[str, ...], summarise: Callable[[list[dict]], dict[str, float]],
                 on_batch: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.losses = losses
        self.summarise = summarise
        self.on_batch = on_batch
        self.series: dict[str, list[float]] = {}
        self.epochs: list[dict[str, float]] = []
        self._validation: list[Mapping[str, Any]] = []
        self._backwards = 0

    def _add(self, name: str, value: float) -> None:
        self.series.setdefault(name, []).append(value)

    def _end_validation_epoch(self) -> None:
        if self._validation:
            self.epochs.append(self.summarise(self._validation))
            self._validation = []

    def _backward(self, loss: torch.Tensor) -> None:
        self._end_validation_epoch()  # training again: the validation epoch before it is complete
        self._add(f"train/{self.losses[self._backwards % len(self.losses)]}", loss.item())
        self._backwards += 1
        if self.on_batch and self._backwards % len(self.losses) == 0:
            self.on_batch()

    def _optimizer_step(self, optimizer: torch.optim.Optimizer, args, kwargs) -> None:
        grads = [p.grad for group in optimizer.param_groups for p in group["params"] if p.grad is not None]
        self._add("optimizer/grad_norm", torch.nn.utils.get_total_norm(grads).item())

    def _validation_batch(self, outputs: Mapping[str, Any]) -> None:
        self._validation.append(outputs)
        for key, value in outputs.items():
            if (number := _scalar(value)) is not None:
                self._add(f"val/{key}", number)

    def _wrap_validation(self, owner: Any) -> Callable[[], None]:
        original = vars(owner)["validation_step"]
        probe = self

        def validation_step(*args, **kwargs):
            outputs = original(*args, **kwargs)
            trainer = getattr(args[0], "_trainer", None)  # a LightningModule's; a plain model has none
            if not getattr(trainer, "sanity_checking", False):
                probe._validation_batch(outputs)
            return outputs

        owner.validation_step = validation_step
        return lambda: setattr(owner, "validation_step", original)

    @contextlib.contextmanager
    def attached(self, side: ModuleType) -> Iterator[Probe]:
        owners = [side, *(value for value in vars(side).values()
                          if isinstance(value, type) and value.__module__ == side.__name__)]  # fmt: skip
        owners = [owner for owner in owners if "validation_step" in vars(owner)]
        if not owners:
            raise TypeError(f"{side.__name__} defines no validation_step to observe")
        original_backward = torch.Tensor.backward

        def backward(tensor: torch.Tensor, *args, **kwargs):
            self._backward(tensor)
            return original_backward(tensor, *args, **kwargs)

        original_clip = torch.nn.utils.clip_grad_norm_

        def clip_grad_norm_(*args, **kwargs):
            norm = original_clip(*args, **kwargs)
            self._add("optimizer/norm_before_clipping", norm.item())
            return norm

        restores = [self._wrap_validation(owner) for owner in owners]
        handle = register_optimizer_step_post_hook(self._optimizer_step)
        torch.Tensor.backward, torch.nn.utils.clip_grad_norm_ = backward, clip_grad_norm_
        try:
            yield self
        finally:
            torch.Tensor.backward, torch.nn.utils.clip_grad_norm_ = original_backward, original_clip
            handle.remove()
            for restore in restores:
                restore()

    def result(self, side: str, model: torch.nn.Module, seconds: float) -> RunResult:
        self._end_validation_epoch()
        # The Lightning module holds the plain model as `self.model`: compare the same names.
        state = {key.removeprefix("model."): value.detach().cpu().clone() for key, value in model.state_dict().items()}
        return RunResult(side, self.series, self.epochs, state, seconds)
