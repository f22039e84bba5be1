import pytorch_lightning as pl
# TODO(t2l): T2L951 removed `strategy="ddp2"`: ddp2 was removed in 2.0: use strategy='ddp'
# TODO(t2l): T2L951 removed `amp_backend='apex'`: apex AMP is gone, use precision='16-mixed'
# TODO(t2l): T2L951 removed `amp_level="O2"`: apex AMP was removed: use precision='16-mixed' (native AMP)
trainer = pl.Trainer()
