import pytorch_lightning as pl


class EpochMemo(pl.Callback):
    def on_save_checkpoint(self, trainer, pl_module, checkpoint):
        return {"epoch": trainer.current_epoch}

    def on_load_checkpoint(self, trainer, pl_module, callback_state):
        print("saved at epoch", callback_state["epoch"])
