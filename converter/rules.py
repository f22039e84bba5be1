"""The converter's rule codes: stable, documented, one line each.

T2L1xx: a construct `t2l convert` understood and mapped to Lightning.
T2L2xx: a Lightning 1.x construct `t2l upgrade` rewrote to the 2.x API.
T2L9xx: a construct either could not map safely (T2L90x-91x convert, T2L95x upgrade); the code is kept and
        marked with `# TODO(t2l): <code> <reason>`.
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
    "T2L125": "gradient accumulation by hand -> Trainer(accumulate_grad_batches=...)",
    "T2L126": "`if <optimizer> is not None:` around the step removed: the optimizer always exists",
    "T2L127": "optimizer.step(closure): the closure body -> training_step (Lightning passes its own closure)",
    "T2L128": "a function that trains on the whole data set per call -> training_step over a one-batch DataLoader",
    "T2L129": "several gradient clipping calls -> configure_gradient_clipping, each call kept as written",
    "T2L130": "a `for i in range(n)` step loop that fetches its batches -> the range is the train loader",
    "T2L131": "parameters updated by hand (p.data.add_(p.grad, alpha=-lr)) -> torch.optim.SGD, lr changes synced",
    "T2L132": "`break` / `continue` in the epoch loop -> self.trainer.should_stop = True + return / return, at epoch end",
    "T2L124": "other statements of the epoch loop -> on_train_epoch_start / on_train_epoch_end",
}

TODO: dict[str, str] = {
    "T2L901": "gradient accumulation by hand that Lightning would compute differently (loss not divided)",
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
    "T2L915": "an optimizer step under a condition Lightning has no flag for",
    "T2L916": "`return` inside the batch loop (an early end of training)",
}

UPGRADED: dict[str, str] = {
    "T2L201": "gpus= / tpu_cores= / num_processes= -> accelerator= and devices=",
    "T2L202": "auto_select_gpus=True -> devices=find_usable_cuda_devices(N)",
    "T2L203": "resume_from_checkpoint= / Trainer(ckpt_path=) -> trainer.fit(..., ckpt_path=)",
    "T2L204": 'precision=16 / "bf16" / 32 / 64 -> "16-mixed" / "bf16-mixed" / "32-true" / "64-true"',
    "T2L205": 'profiler=True -> profiler="simple"',
    "T2L206": 'distributed_backend= / accelerator="ddp" -> strategy=',
    "T2L207": "replace_sampler_ddp= -> use_distributed_sampler=",
    "T2L208": "progress_bar_refresh_rate= -> TQDMProgressBar(refresh_rate=) / enable_progress_bar=False",
    "T2L209": "checkpoint_callback= -> enable_checkpointing=",
    "T2L210": "weights_summary= -> enable_model_summary= / ModelSummary(max_depth=)",
    "T2L211": "a removed Trainer argument that changes nothing in 2.x was dropped",
    "T2L212": "terminate_on_nan=True -> detect_anomaly=True",
    "T2L213": "reload_dataloaders_every_epoch= -> reload_dataloaders_every_n_epochs=",
    "T2L214": "weights_save_path= -> default_root_dir=",
    "T2L215": "track_grad_norm= -> on_before_optimizer_step logging grad_norm()",
    "T2L216": "auto_lr_find= / auto_scale_batch_size= with trainer.tune() -> Tuner(trainer)",
    "T2L217": "accumulate_grad_batches={epoch: n} -> GradientAccumulationScheduler(scheduling=)",
    "T2L218": "ModelCheckpoint(period= / every_n_val_epochs=) -> every_n_epochs=",
    "T2L219": "a moved module or class -> its 2.x location",
    "T2L220": "*_epoch_end(self, outputs) -> on_*_epoch_end(self) with the step outputs kept in a list attribute",
    "T2L221": "*_step_end hook -> a helper the step calls on its output",
    "T2L222": "optimizer_idx in training_step -> manual optimization with toggle_optimizer",
    "T2L223": "Trainer.add_argparse_args / from_argparse_args -> plain argparse arguments",
    "T2L224": "imports switched to one Lightning package",
    "T2L225": "fit/validate/test keyword renamed (train_dataloader= -> train_dataloaders=, ...)",
    "T2L226": 'precision=16 on CPU -> "bf16-mixed", which is what 2.x runs there (fp16 AMP does not exist on CPU)',
    "T2L227": "a hook 2.x no longer calls (silently) -> its 2.x name and signature",
}

UPGRADE_TODO: dict[str, str] = {
    "T2L951": "a removed Trainer argument with no safe mechanical replacement",
    "T2L952": "the trainer's fit call was not found: pass ckpt_path= to trainer.fit by hand",
    "T2L953": "*_epoch_end / *_step_end hook shape not recognised",
    "T2L954": "optimizer_idx: shape not recognised, or manual optimization needs a hand-made change here",
    "T2L955": "trainer.tune() without tuning flags this file sets",
    "T2L956": "Trainer.from_argparse_args / add_argparse_args use not recognised",
    "T2L957": "callbacks= is not a list literal: add the new callback to it by hand",
    "T2L958": "a removed API with no mechanical replacement",
}

_DOCS = "https://lightning.ai/docs/pytorch/stable/"
_TRAINER = _DOCS + "common/trainer.html#"
# The 2.x reference each upgrade rule points to (the migration guide where the Trainer page has nothing).
REFERENCES: dict[str, str] = {
    "T2L201": _TRAINER + "devices", "T2L202": _DOCS + "accelerators/gpu_basic.html",
    "T2L203": _DOCS + "common/checkpointing_basic.html#resume-training-state", "T2L204": _TRAINER + "precision",
    "T2L205": _TRAINER + "profiler", "T2L206": _TRAINER + "strategy", "T2L207": _TRAINER + "use-distributed-sampler",
    "T2L208": _TRAINER + "enable-progress-bar", "T2L209": _TRAINER + "enable-checkpointing",
    "T2L210": _TRAINER + "enable-model-summary", "T2L212": _TRAINER + "detect-anomaly",
    "T2L213": _TRAINER + "reload-dataloaders-every-n-epochs", "T2L214": _TRAINER + "default-root-dir",
    "T2L216": _DOCS + "api/lightning.pytorch.tuner.tuning.Tuner.html",
    "T2L217": _DOCS + "api/lightning.pytorch.callbacks.GradientAccumulationScheduler.html",
    "T2L218": _DOCS + "api/lightning.pytorch.callbacks.ModelCheckpoint.html",
    "T2L220": _DOCS + "common/lightning_module.html#on-train-epoch-end",
    "T2L222": _DOCS + "model/manual_optimization.html", "T2L226": _TRAINER + "precision",
    "T2L227": _DOCS + "common/lightning_module.html#hooks",
    "T2L223": _DOCS + "cli/lightning_cli.html",
}  # fmt: skip
MIGRATION_GUIDE = _DOCS + "upgrade/migration_guide.html"


def reference(code: str) -> str | None:
    """The 2.x documentation an upgrade rule points to (None for `t2l convert` rules)."""
    if code in UPGRADED or code in UPGRADE_TODO:
        return REFERENCES.get(code, MIGRATION_GUIDE)
    return None


ALL: dict[str, str] = {**MAPPED, **TODO, **UPGRADED, **UPGRADE_TODO}
TODO_CODES = frozenset(TODO) | frozenset(UPGRADE_TODO)
