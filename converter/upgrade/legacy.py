"""Counts the Lightning 1.x API a file still uses: the measure of `t2l upgrade` on real code.

Counted in the code, not in comments (a TODO comment quotes what it removed): removed Trainer flags (as keywords,
`dict(...)` keywords or dict keys, so `Trainer(**options)` counts), hooks 2.x removed or no longer calls,
`optimizer_idx` parameters, and imports of modules or helpers that moved or went away.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter

TRAINER_FLAGS = (
    "gpus", "tpu_cores", "num_processes", "auto_select_gpus", "resume_from_checkpoint", "progress_bar_refresh_rate",
    "checkpoint_callback", "weights_summary", "terminate_on_nan", "reload_dataloaders_every_epoch",
    "weights_save_path", "track_grad_norm", "auto_lr_find", "auto_scale_batch_size", "distributed_backend",
    "replace_sampler_ddp", "stochastic_weight_avg", "amp_backend", "amp_level", "flush_logs_every_n_steps",
    "prepare_data_per_node", "ipus", "truncated_bptt_steps", "move_metrics_to_cpu", "multiple_trainloader_mode",
    "log_gpu_memory", "process_position", "max_steps=None",
)  # fmt: skip
HOOKS = (
    "training_epoch_end", "validation_epoch_end", "test_epoch_end", "training_step_end", "validation_step_end",
    "test_step_end", "on_epoch_start", "on_epoch_end", "on_pretrain_routine_start", "on_pretrain_routine_end",
    "on_batch_start", "on_batch_end", "on_train_batch_end_dataloader_idx",
)  # fmt: skip
MODULES = (
    r"pytorch_lightning\.metrics", r"pytorch_lightning\.core\.lightning", r"pytorch_lightning\.callbacks\.base",
    r"pytorch_lightning\.profiler\b", r"pytorch_lightning\.loggers\.base", r"pytorch_lightning\.utilities\.cli",
    r"pytorch_lightning\.lite", r"pytorch_lightning\.core\.memory", r"pytorch_lightning\.plugins\.training_type",
    r"pytorch_lightning\.accelerators\.\w+_accelerator", r"\b_module_available\b", r"\bLightningLite\b",
    r"\badd_argparse_args\b", r"\bfrom_argparse_args\b", r"\bparse_argparser\b",
)  # fmt: skip
_PATTERNS = {
    "Trainer flags": re.compile(r"(?<![\w.])(?:" + "|".join(f for f in TRAINER_FLAGS if "=" not in f) + r")\s*=(?!=)"
                                r"|[\"'](?:gpus|tpu_cores|num_processes|auto_lr_find|auto_scale_batch_size|"
                                r"resume_from_checkpoint|weights_save_path|amp_backend)[\"']\s*:"),
    "hooks": re.compile(r"\bdef\s+(?:" + "|".join(HOOKS) + r")\s*\("),
    "optimizer_idx": re.compile(r"\bdef\s+\w+\s*\([^)]*\boptimizer_idx\b"),
    "moved imports": re.compile("|".join(MODULES)),
}


def _code_only(source: str) -> str:
    """The source with comments blanked (strings kept: `"--trainer.gpus=0"` is a use too)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source
    lines = source.splitlines(keepends=True)
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + " " * (len(line.rstrip("\r\n")) - col) + line[len(line.rstrip("\r\n")) :]
    return "".join(lines)


def count(source: str) -> Counter:
    """1.x uses by kind, in code (comments excluded)."""
    if "lightning" not in source:
        return Counter()
    text = _code_only(source)
    return Counter({kind: n for kind, pattern in _PATTERNS.items() if (n := len(pattern.findall(text)))})


def uses(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, text) of each 1.x use, for pointing at what is left."""
    if "lightning" not in source:
        return []
    text = _code_only(source)
    found = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            found.append((text.count("\n", 0, match.start()) + 1, kind, match.group(0).strip()))
    return sorted(found)
