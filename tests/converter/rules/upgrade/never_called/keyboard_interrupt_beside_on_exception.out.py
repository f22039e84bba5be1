import pytorch_lightning as pl


class Cb(pl.Callback):
    # TODO(t2l): T2L237 2.x never calls on_keyboard_interrupt: move its body to on_exception(trainer, pl_module, exception), which the class defines, under `if isinstance(exception, KeyboardInterrupt):`
    def on_keyboard_interrupt(self, trainer, pl_module):
        print("interrupted")

    def on_exception(self, trainer, pl_module, exception):
        print("failed", exception)
