"""The rules of `t2l convert --to fabric`, one module per concern, each owning its codes; RULES is their order
(the Fabric object first: the others ask whether it exists where they act)."""

from converter.fabric.rules import (
    accumulation,
    backward,
    by_hand,
    clipping,
    dataloaders,
    device_moves,
    fabric_object,
    fetched_batches,
    precision,
    prints,
    setup,
)

RULES = (fabric_object, setup, dataloaders, device_moves, fetched_batches, backward, clipping, precision,
         accumulation, prints, by_hand)
