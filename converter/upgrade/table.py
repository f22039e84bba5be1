"""The 1.x -> 2.x mapping as data: the rule modules read these tables, tests and docs can list them.

Names are written with `pl.` for whichever Lightning package the file imports (`pytorch_lightning` or
`lightning.pytorch`); `canonical()` in engine.py turns a resolved name into this form.
"""

from __future__ import annotations

TRAINER = frozenset({"pl.Trainer", "pl.trainer.Trainer", "pl.trainer.trainer.Trainer"})
LIGHTNING_MODULE = frozenset({"pl.LightningModule", "pl.core.LightningModule", "pl.core.module.LightningModule",
                              "pl.core.lightning.LightningModule"})  # fmt: skip
DATA_MODULE = frozenset({"pl.LightningDataModule", "pl.core.LightningDataModule", "pl.core.datamodule.LightningDataModule"})
MODEL_CHECKPOINT = frozenset({"pl.callbacks.ModelCheckpoint", "pl.callbacks.model_checkpoint.ModelCheckpoint"})

# Trainer keyword -> 2.x keyword, same value.
RENAMED_TRAINER_ARGS: dict[str, tuple[str, str]] = {  # old: (new, rule code)
    "replace_sampler_ddp": ("use_distributed_sampler", "T2L207"),
    "terminate_on_nan": ("detect_anomaly", "T2L212"),
    "distributed_backend": ("strategy", "T2L206"),
    "row_log_interval": ("log_every_n_steps", "T2L211"),
}

# Trainer keywords removed without a successor whose effect is gone or is the 2.x default: dropped.
DROPPED_TRAINER_ARGS: dict[str, str] = {
    "flush_logs_every_n_steps": "the loggers flush on their own (CSVLogger(flush_logs_every_n_steps=) if needed)",
    "move_metrics_to_cpu": "logged metrics are no longer kept on the device",
    "log_gpu_memory": "use the DeviceStatsMonitor callback to log device memory",
    "prepare_data_per_node": "set self.prepare_data_per_node in the LightningModule/DataModule if needed",
    "process_position": "only mattered for several progress bars in one terminal",
}

# Trainer keywords removed with no mechanical rewrite: kept, marked TODO with the reason.
TODO_TRAINER_ARGS: dict[str, str] = {
    "ipus": "IPU support left Lightning in 2.0 (the lightning-graphcore package has it)",
    "stochastic_weight_avg": "add callbacks=[StochasticWeightAveraging(swa_lrs=...)]: 2.x needs the SWA learning rate",
    "truncated_bptt_steps": "truncated BPTT was removed: split the sequence in training_step with manual optimization",
    "amp_level": "apex AMP was removed: use precision='16-mixed' (native AMP)",
}

# precision= literal -> 2.x value.
PRECISION: dict[object, str] = {16: "16-mixed", "16": "16-mixed", "bf16": "bf16-mixed", 32: "32-true", "32": "32-true",
                                64: "64-true", "64": "64-true"}  # fmt: skip

# accelerator= value (1.x mixed devices and strategies in it) -> (accelerator or None, strategy).
STRATEGY_ACCELERATORS: dict[str, tuple[str | None, str]] = {
    "ddp": (None, "ddp"), "ddp_spawn": (None, "ddp_spawn"), "ddp_cpu": ("cpu", "ddp"),
    "ddp_sharded": (None, "fsdp"), "deepspeed": (None, "deepspeed"),
}  # fmt: skip
REMOVED_STRATEGIES = {"dp": "DataParallel was removed in 2.0: use strategy='ddp'",
                      "ddp2": "ddp2 was removed in 2.0: use strategy='ddp'",
                      "horovod": "Horovod support was removed in 2.0: use strategy='ddp'"}  # fmt: skip

# `trainer.<attribute>` (also `self.trainer.`, a Callback hook's `trainer.`) renamed with the same meaning -> 2.x's.
TRAINER_ATTRIBUTES: dict[str, str] = {
    "running_sanity_check": "sanity_checking",  # 1.3
    "resume_from_checkpoint": "ckpt_path",  # the path fit resumes from (`resume_from_checkpoint=` -> fit(ckpt_path=))
    "tested_ckpt_path": "ckpt_path",
    "weights_save_path": "default_root_dir",  # as the Trainer keyword (T2L214)
}
TRAINER_METHODS: dict[str, str] = {"get_model": "lightning_module"}  # `trainer.get_model()` (1.0-1.2) -> a property

# `trainer.fit(train_dataloader=...)`-style keywords renamed in 1.4 and removed in 2.0.
METHOD_KEYWORDS: dict[str, dict[str, str]] = {
    "fit": {"train_dataloader": "train_dataloaders", "val_dataloaders": "val_dataloaders"},
    "validate": {"val_dataloaders": "dataloaders"},
    "test": {"test_dataloaders": "dataloaders"},
    "predict": {"predict_dataloaders": "dataloaders"},
}

# ModelCheckpoint keywords.
CHECKPOINT_KEYWORDS: dict[str, str] = {"period": "every_n_epochs", "every_n_val_epochs": "every_n_epochs"}

# Moved modules and classes, longest first (after `pl.`): old dotted suffix -> new.
MOVED: dict[str, str] = {
    "pl.core.lightning": "pl.core.module",
    "pl.callbacks.base": "pl.callbacks",
    "pl.utilities.cli": "pl.cli",
    "pl.profiler": "pl.profilers",
    "pl.loggers.base.LightningLoggerBase": "pl.loggers.Logger",
    "pl.loggers.base": "pl.loggers.logger",
    "pl.loggers.LightningLoggerBase": "pl.loggers.Logger",
    "pl.utilities.seed.seed_everything": "pl.seed_everything",
    "pl.callbacks.progress.base.ProgressBarBase": "pl.callbacks.ProgressBar",
    "pl.callbacks.progress.ProgressBarBase": "pl.callbacks.ProgressBar",
    "pl.callbacks.ProgressBarBase": "pl.callbacks.ProgressBar",
} | {f"pl.utilities.{module}.{name}": f"pl.utilities.rank_zero.{name}" for module in ("distributed", "warnings")
     for name in ("rank_zero_only", "rank_zero_info", "rank_zero_warn", "rank_zero_debug", "rank_zero_deprecation")}
# Names that left the package for lightning_utilities and lightning_fabric (dependencies of Lightning 2.x):
# name -> (module, new name). LightningLite became Fabric (same methods; a subclass overriding run() still works).
MOVED_OUT: dict[str, tuple[str, str]] = {
    f"pl.utilities{sub}.{old}": ("lightning_utilities.core.imports", new)
    for sub in ("", ".imports")
    for old, new in (("_module_available", "module_available"), ("_compare_version", "compare_version"),
                     ("_RequirementAvailable", "RequirementCache"))
} | {f"pl.lite{sub}.LightningLite": ("lightning_fabric", "Fabric") for sub in ("", ".lite")}  # fmt: skip
# Trainer flags 2.x removed, as LightningCLI strings name them ("--trainer.gpus=2"): flag -> what replaced it.
REMOVED_CLI_FLAGS = {
    "gpus": "accelerator=gpu and devices=N", "tpu_cores": "accelerator=tpu and devices=N",
    "num_processes": "devices=N", "auto_select_gpus": "devices=-1 picks free GPUs",
    "resume_from_checkpoint": "--ckpt_path", "progress_bar_refresh_rate": "a TQDMProgressBar callback",
    "checkpoint_callback": "--trainer.enable_checkpointing", "weights_summary": "--trainer.enable_model_summary",
    "distributed_backend": "--trainer.strategy", "amp_backend": "native AMP only: --trainer.precision",
    "auto_lr_find": "the Tuner", "auto_scale_batch_size": "the Tuner", "track_grad_norm": "grad_norm in a hook",
    "terminate_on_nan": "--trainer.detect_anomaly", "weights_save_path": "--trainer.default_root_dir",
}  # fmt: skip
# LightningCLI's registries (removed in 2.0: LightningCLI finds subclasses itself).
CLI_REGISTRIES = frozenset({"MODEL_REGISTRY", "DATAMODULE_REGISTRY", "CALLBACK_REGISTRY", "OPTIMIZER_REGISTRY",
                            "LR_SCHEDULER_REGISTRY", "LOGGER_REGISTRY"})  # fmt: skip
REMOVED_MODULES: dict[str, str] = {
    "pl.metrics": "pytorch_lightning.metrics became the torchmetrics package (its functions now need task=)",
    "pl.plugins.training_type": "training type plugins are strategies in 2.x (pl.strategies)",
}

# 1.x hooks that received the steps' outputs -> their 2.x hook, step method and list attribute.
EPOCH_END_HOOKS: dict[str, tuple[str, str, str]] = {
    "training_epoch_end": ("on_train_epoch_end", "training_step", "training_step_outputs"),
    "validation_epoch_end": ("on_validation_epoch_end", "validation_step", "validation_step_outputs"),
    "test_epoch_end": ("on_test_epoch_end", "test_step", "test_step_outputs"),
}
STEP_END_HOOKS: dict[str, str] = {"training_step_end": "training_step", "validation_step_end": "validation_step",
                                  "test_step_end": "test_step", "predict_step_end": "predict_step"}  # fmt: skip

# Hooks 2.x no longer calls, and does not complain about: old name -> (new name, parameters to append for
# a Callback, what changed). Lightning 1.x called on_epoch_* around validation and test epochs too.
REMOVED_HOOKS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "on_epoch_start": ("on_train_epoch_start", (), "1.x also called it before validation and test epochs"),
    "on_epoch_end": ("on_train_epoch_end", (), "1.x also called it after validation and test epochs"),
    "on_pretrain_routine_start": ("on_fit_start", (), "called once at the start of fit"),
    "on_pretrain_routine_end": ("on_fit_start", (), "called once at the start of fit"),
    "on_batch_start": ("on_train_batch_start", ("batch", "batch_idx"), "called before each training batch"),
    "on_batch_end": ("on_train_batch_end", ("outputs", "batch", "batch_idx"), "called after each training batch"),
}
CALLBACK = frozenset({"pl.Callback", "pl.callbacks.Callback", "pl.callbacks.base.Callback",
                      "pl.callbacks.callback.Callback"})  # fmt: skip
# Batch hooks that lost their dataloader_idx parameter in 2.x (the training loop has one dataloader).
NO_DATALOADER_IDX = ("on_train_batch_start", "on_train_batch_end")

# The Trainer flags a plain argparse parser gets in place of Trainer.add_argparse_args: (flag, type, default).
ARGPARSE_FLAGS: list[tuple[str, str | None, str]] = [
    ("accelerator", None, '"auto"'),
    ("devices", None, '"auto"'),
    ("num_nodes", "int", "1"),
    ("precision", None, '"32-true"'),
    ("max_epochs", "int", "None"),
    ("max_steps", "int", "-1"),
    ("fast_dev_run", "int", "0"),
    ("default_root_dir", None, "None"),
]
# More 2.x Trainer flags Trainer.add_argparse_args used to define: added (and passed to the Trainer) only when the
# script reads them from its namespace, so that `args.gradient_clip_val` still exists after the upgrade.
MORE_ARGPARSE_FLAGS: dict[str, tuple[str | None, str]] = {
    "strategy": (None, '"auto"'), "min_epochs": ("int", "None"), "min_steps": ("int", "None"),
    "max_time": (None, "None"), "limit_train_batches": ("float", "None"), "limit_val_batches": ("float", "None"),
    "limit_test_batches": ("float", "None"), "limit_predict_batches": ("float", "None"),
    "overfit_batches": ("float", "0.0"), "val_check_interval": ("float", "None"),
    "check_val_every_n_epoch": ("int", "1"), "num_sanity_val_steps": ("int", "None"),
    "log_every_n_steps": ("int", "None"), "accumulate_grad_batches": ("int", "1"),
    "gradient_clip_val": ("float", "None"), "gradient_clip_algorithm": (None, "None"), "profiler": (None, "None"),
    "deterministic": (None, "None"), "benchmark": (None, "None"),
}
