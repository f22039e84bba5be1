# t2l-fixture: run
"""precision=16 / "bf16" / 32 / 64 (T2L204, T2L226)."""
import pytorch_lightning as pl

from tiny import Regressor, loader

for trainer in [
    pl.Trainer(accelerator="cpu", precision="bf16-mixed", max_epochs=1, logger=False),
    pl.Trainer(precision="bf16-mixed", max_epochs=1, logger=False),
    pl.Trainer(precision="32-true", max_epochs=1, logger=False),
    pl.Trainer(precision="64-true", max_epochs=1, logger=False),
]:
    trainer.fit(Regressor(), loader())
    print(trainer.precision)
