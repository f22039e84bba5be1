# t2l-fixture: run
"""profiler=True, accelerator="ddp" / distributed_backend=, replace_sampler_ddp= (T2L205, T2L206, T2L207)."""
from pytorch_lightning import Trainer

from tiny import Regressor, loader

trainer = Trainer(profiler="simple", max_epochs=1, logger=False)
trainer.fit(Regressor(), loader())

# One process is enough to show the strategy runs (gloo on CPU).
ddp = Trainer(strategy="ddp", use_distributed_sampler=False, max_epochs=1, logger=False, devices=1)
ddp.fit(Regressor(), loader())

backend = Trainer(strategy="ddp", max_epochs=1, logger=False, devices=1)
backend.fit(Regressor(), loader())
