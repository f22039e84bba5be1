"""The rules of `t2l convert --to fabric`, one module per concern, each owning its codes; RULES is their order
(where processes start and the Fabric object first: the others ask whether it exists where they act)."""

from converter.fabric.rules import (
    accumulation,
    backward,
    by_hand,
    clipping,
    compiled,
    dataloaders,
    ddp_wrapper,
    device_moves,
    engine_scripts,
    fabric_object,
    fetched_batches,
    forward_methods,
    hand_updates,
    module_views,
    precision,
    prints,
    processes,
    setup,
    unused_imports,
)

RULES = (processes, fabric_object, setup, hand_updates, compiled, module_views, forward_methods, ddp_wrapper, dataloaders, device_moves, fetched_batches, backward, clipping,
         precision, accumulation, prints, by_hand, unused_imports)
# Checks that leave the script as it was, with a TODO (before any rule runs).
DECLINES = (engine_scripts,)
