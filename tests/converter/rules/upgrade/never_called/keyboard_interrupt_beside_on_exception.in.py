import pytorch_lightning as pl


class Cb(pl.Callback):
    def on_keyboard_interrupt(self, trainer, pl_module):
        print("interrupted")

    def on_exception(self, trainer, pl_module, exception):
        print("failed", exception)
