import pytorch_lightning as pl


class Counter(pl.Callback):
    def __init__(self):
        self.batches = 0

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.batches += 1

    def on_keyboard_interrupt(self, trainer, pl_module):
        print("stopped after", self.batches, "batches")

    def on_save_checkpoint(self, trainer, pl_module, checkpoint):
        return {"batches": self.batches}

    def on_load_checkpoint(self, trainer, pl_module, callback_state):
        self.batches = callback_state["batches"]
