import pytorch_lightning as pl


class Counter(pl.Callback):
    def __init__(self):
        self.batches = 0

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.batches += 1

    def on_exception(self, trainer, pl_module, exception):
        if isinstance(exception, KeyboardInterrupt):
            print("stopped after", self.batches, "batches")

    def state_dict(self):
        return {"batches": self.batches}

    def load_state_dict(self, callback_state):
        self.batches = callback_state["batches"]
