"""The converter's rule codes: stable, documented, one line each.

T2L1xx: a construct the converter understood and mapped to Lightning.
T2L9xx: a construct it could not map safely; the code is kept and marked with `# TODO(t2l): <code> <reason>`.
Codes are never reused or renumbered: reports, tests and users' notes refer to them.
"""

from __future__ import annotations

MAPPED: dict[str, str] = {
    "T2L101": "optimizer.zero_grad() / model.zero_grad() removed: Lightning zeroes gradients",
    "T2L102": "loss.backward() removed: training_step returns the loss and Lightning calls backward",
    "T2L103": "optimizer.step() removed: Lightning steps the optimizer from configure_optimizers",
    "T2L104": ".to(device) / .cuda() on batches removed: Lightning moves batches to the device",
    "T2L105": "model.train() / model.eval() removed: Lightning switches modes around each loop",
    "T2L106": "torch.no_grad() / inference_mode() in evaluation removed: Lightning disables gradients there",
    "T2L107": "learning-rate scheduler moved to configure_optimizers",
    "T2L108": "gradient clipping before the step -> Trainer(gradient_clip_val=..., gradient_clip_algorithm=...)",
    "T2L109": "torch.autocast + GradScaler -> Trainer(precision=...)",
    "T2L110": "epoch loop -> Trainer(max_epochs=...)",
    "T2L111": "dry-run break -> Trainer(limit_train_batches=...) / max_epochs",
    "T2L112": "torch.save of the weights inside the loop -> Lightning's checkpointing (ModelCheckpoint)",
    "T2L113": "print / tqdm / SummaryWriter / wandb logging of metrics -> self.log",
    "T2L114": "tqdm progress bar -> Lightning's progress bar",
    "T2L115": "batch loop body -> training_step",
    "T2L116": "evaluation loop body -> validation_step",
    "T2L117": "evaluation after training -> test_step and trainer.test",
    "T2L118": "optimizer construction moved to configure_optimizers",
    "T2L119": "two or more optimizers stepped per batch -> manual optimization",
    "T2L120": "train/val phase loop split into training_step and validation_step",
    "T2L121": "running totals -> self.log(..., reduce_fx='sum') epoch metrics",
    "T2L122": "step counter -> self.global_step",
    "T2L123": "state carried across batches -> an attribute reset in on_train_epoch_start",
}

TODO: dict[str, str] = {
    "T2L901": "gradient accumulation by hand (backward without a step every batch)",
    "T2L902": "custom backward hooks",
    "T2L903": "manual parameter updates (p.data.add_, in-place updates of .grad or parameters)",
    "T2L904": "optimizer.step(closure) (LBFGS-style closures)",
    "T2L905": "reinforcement-learning episode loop",
    "T2L906": "multiprocessing / hogwild training",
    "T2L907": "more than one backward per optimizer step, or retain_graph",
    "T2L908": "training loop shape not recognised",
    "T2L909": "code that depends on the training loop's variables",
    "T2L910": "a step loop that fetches batches by hand instead of iterating a DataLoader",
    "T2L911": "a break condition that has no Trainer equivalent",
    "T2L912": "toggle_optimizer not inserted: a tensor computed for one optimizer is reused by the next",
    "T2L913": "more than one training loop in the file; only the first is converted",
    "T2L914": "ReduceLROnPlateau monitor metric could not be identified",
}

ALL: dict[str, str] = {**MAPPED, **TODO}
