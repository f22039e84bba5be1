import pytorch_lightning as pl


class KFoldLoop:
    def __init__(self, num_folds):
        self.num_folds = num_folds


class YieldLoop:
    pass


trainer = pl.Trainer(max_epochs=2)
internal_fit_loop = trainer.fit_loop
# TODO(t2l): T2L963 `trainer.fit_loop = ...`: 2.0 made the Trainer's loops private (no replacing them, no connect): keep the custom logic in hooks or callbacks, or own the loop with Lightning Fabric
trainer.fit_loop = KFoldLoop(5)
# TODO(t2l): T2L963 `trainer.fit_loop.connect(...)`: 2.0 made the Trainer's loops private (no replacing them, no connect): keep the custom logic in hooks or callbacks, or own the loop with Lightning Fabric
trainer.fit_loop.connect(internal_fit_loop)
# TODO(t2l): T2L963 `trainer.fit_loop.epoch_loop.batch_loop.connect(...)`: 2.0 made the Trainer's loops private (no replacing them, no connect): keep the custom logic in hooks or callbacks, or own the loop with Lightning Fabric
trainer.fit_loop.epoch_loop.batch_loop.connect(optimizer_loop=YieldLoop())
database.connect("sqlite://")  # not a loop: untouched
