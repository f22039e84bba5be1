# t2l-fixture: run
"""Trainer flags passed through a dict built nearby, as 1.x test suites do (`Trainer(**trainer_options)`), and a
multi-line Trainer call whose comments must survive the rewrite."""
import pytorch_lightning as pl

from tiny import Regressor, loader


def run():
    trainer_options = dict(max_epochs=1, gpus=0, logger=False)
    trainer_options.update(num_processes=1, auto_lr_find=False, weights_summary=None)
    trainer = pl.Trainer(**trainer_options)
    trainer.fit(Regressor(), loader())
    commented = pl.Trainer(
        max_epochs=1,  # one epoch is enough here
        # no GPU on CI
        gpus=0,
        logger=False,  # no logs
    )
    commented.fit(Regressor(), loader())


run()
