import pytorch_lightning as pl

# 1.x-era code and configs often list every flag at its default: a removed flag that was off needs no TODO
trainer = pl.Trainer(ipus=None, truncated_bptt_steps=None, stochastic_weight_avg=False, amp_level="O2",
                     progress_bar_refresh_rate=1, weights_save_path=None, max_epochs=3)
apex = pl.Trainer(amp_backend="apex", amp_level="O2")  # with apex the level mattered: still marked
