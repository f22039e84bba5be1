import pytorch_lightning as pl

# 1.x-era code and configs often list every flag at its default: a removed flag that was off needs no TODO
trainer = pl.Trainer(max_epochs=3)
# TODO(t2l): T2L951 removed `amp_backend='apex'`: apex AMP is gone, use precision='16-mixed'
# TODO(t2l): T2L951 removed `amp_level="O2"`: apex AMP was removed: use precision='16-mixed' (native AMP)
apex = pl.Trainer()  # with apex the level mattered: still marked
