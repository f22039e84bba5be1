"""The conversion rules, in the order the step rewriter asks them (the first that answers an event wins), and
the checks that decline a loop, in the order they are tried. Every rule module owns its codes (`CODES`); the code
table (`converter/rules.py`, `t2l convert --rules`) is read from here."""

from __future__ import annotations

from converter.convert.rules import (
    accumulation,
    after_step,
    backward,
    batch_state,
    breaks,
    checkpoint_save,
    clipping,
    closures,
    counted_loop,
    device_moves,
    distributed,
    epoch_body,
    epoch_loop,
    evaluation,
    full_batch,
    loop_variables,
    manual_optimization,
    manual_sgd,
    metric_logging,
    mode_switch,
    no_grad,
    one_shot_loader,
    optimizer_step,
    optimizers,
    out_of_reach,
    phase_loop,
    precision,
    progress_bars,
    schedulers,
    step_function,
    step_loops,
    trainer_class,
    training_step,
    validation_epoch,
    zero_grad,
)

RULES = [
    # statements of a loop body: the training mechanics
    zero_grad,
    backward,
    closures,  # a step with arguments: before optimizer_step
    optimizer_step,
    precision,
    schedulers,
    mode_switch,
    clipping,
    metric_logging,
    progress_bars,
    checkpoint_save,
    manual_sgd,
    batch_state,
    device_moves,
    accumulation,  # after the assignment rules: it rewrites what they leave
    breaks,
    no_grad,
    phase_loop,  # after accumulation: an unwrapped `if` is not folded
    # the module, its hooks and the Trainer
    training_step,
    after_step,
    evaluation,
    validation_epoch,
    optimizers,
    manual_optimization,
    epoch_loop,
    epoch_body,
    loop_variables,
    full_batch,
    step_function,  # a retry on the source text, like manual_sgd's
    trainer_class,  # another
    step_loops,
    counted_loop,  # a retry on the source text, when step_loops declines a `while`
    one_shot_loader,  # the loader fit gets
    distributed,  # marks what the Trainer's strategy replaces
    out_of_reach,
]

# Checks that leave the loop as it was, with a TODO: the first that declines gives the code.
DECLINES = [manual_sgd, out_of_reach, step_loops, backward, accumulation]

# Source rewrites tried when a check declines with their code: each makes the loop one the rules convert
# (`converted(source, path, convert, input_line)`, see the driver), or answers None and the TODO stands.
RETRIES = {"T2L903": manual_sgd, "T2L910": counted_loop}
