"""The normalizers and the conversion rules: the normalizers in the order the driver tries them, the rules in the order the step rewriter asks them (the first that answers an event wins), and
the checks that decline a loop, in the order they are tried. Every rule module owns its codes (`CODES`); the code
table (`converter/rules.py`, `t2l convert --rules`) is read from here."""

from __future__ import annotations

from converter.convert.normalize import (
    counted_loop,
    enumerated_range,
    epoch_counter,
    micro_steps,
    mode_assignment,
    model_method,
    phase_function,
    phase_names,
    phase_tuples,
    prefetch_loop,
    sgd_optimizer,
    step_factory,
    step_function,
    trainer_class,
    type_tests,
    zero_grad_helper,
)
from converter.convert.rules import (
    accumulation,
    after_step,
    backward,
    backward_contexts,
    batch_state,
    breaks,
    checkpoint_save,
    clipping,
    closures,
    data_parallel,
    device_moves,
    devices,
    distributed,
    engine_scripts,
    epoch_body,
    epoch_loop,
    evaluation,
    evaluation_gradients,
    full_batch,
    keyboard_interrupt,
    leftover_window,
    loader_generator,
    loop_variables,
    manual_optimization,
    manual_sgd,
    metric_logging,
    mode_switch,
    no_grad,
    one_shot_loader,
    optimizer_closure,
    optimizer_step,
    optimizers,
    optional_optimizer,
    out_of_reach,
    phase_loop,
    precision,
    prefetched_batches,
    progress_bars,
    rebuilt_optimizer,
    resumed_state,
    schedulers,
    script_globals,
    step_loops,
    training_step,
    undefined_names,
    unreachable_loader,
    unused_imports,
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
    backward_contexts,
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
    leftover_window,  # accumulation's: the step after the batch loop for an epoch's partial last window
    breaks,
    no_grad,
    phase_loop,  # after accumulation: an unwrapped `if` is not folded
    # the module, its hooks and the Trainer
    training_step,
    after_step,
    evaluation,
    evaluation_gradients,  # an evaluation that computes gradients: enable_grad, inference_mode=False
    validation_epoch,
    optimizers,
    resumed_state,  # resume code's optimizer state: on_fit_start
    manual_optimization,
    epoch_loop,
    epoch_body,
    devices,  # the Trainer's accelerator for a script that names no GPU
    loop_variables,
    script_globals,  # names the script's functions read as globals: kept globals in the hooks
    full_batch,
    step_loops,
    one_shot_loader,  # the loader fit gets
    loader_generator,  # ... read to its end where the script's generator shuffles it
    data_parallel,  # removes `model = DataParallel(model)`: the Trainer picks the devices
    optimizer_closure,  # an optimizer class of the script: its step() takes Lightning's closure
    prefetched_batches,  # marks a loader Lightning reads ahead whose draws would land elsewhere
    distributed,  # marks what the Trainer's strategy replaces
    keyboard_interrupt,  # marks a Ctrl+C handler around the loop fit now runs
    out_of_reach,
    engine_scripts,  # declines a script that trains through Accelerate, DeepSpeed or Fabric already
    unused_imports,  # the output's imports only replaced code read (driver.Converter.apply)
    undefined_names,  # the output's last check (driver.Converter.apply)
]

# Checks that leave the loop as it was, with a TODO: the first that declines gives the code.
DECLINES = [engine_scripts, manual_sgd, out_of_reach, step_loops, optional_optimizer, accumulation, unreachable_loader,
            rebuilt_optimizer]

# Marks on what the Trainer changes around the replaced loop, once the module is built (and on a declined loop).
MARKS = [data_parallel, distributed, keyboard_interrupt, optimizer_closure, prefetched_batches]

# Source rewrites that make a loop one the rules convert (converter/convert/normalize/), in the order the driver
# tries them: each where its RUNS_ON says (before planning, or when the conversion declines with one of its codes).
NORMALIZERS = [mode_assignment, zero_grad_helper, type_tests, phase_function, epoch_counter, enumerated_range, trainer_class, model_method, step_factory, step_function, sgd_optimizer, counted_loop, micro_steps, prefetch_loop, phase_tuples, phase_names]
