import pytorch_lightning as pl


class EpochMemo(pl.Callback):
    # TODO(t2l): T2L238 on_save_checkpoint keeps the callback's state the 1.x way (2.x ignores what on_save_checkpoint returns); move it to state_dict / load_state_dict together (on_save_checkpoint: it reads `trainer`, which state_dict is not given)
    def on_save_checkpoint(self, trainer, pl_module, checkpoint):
        return {"epoch": trainer.current_epoch}

    # TODO(t2l): T2L238 on_load_checkpoint keeps the callback's state the 1.x way (2.x passes the whole checkpoint, not callback_state); move it to state_dict / load_state_dict together (on_save_checkpoint: it reads `trainer`, which state_dict is not given)
    def on_load_checkpoint(self, trainer, pl_module, callback_state):
        print("saved at epoch", callback_state["epoch"])
