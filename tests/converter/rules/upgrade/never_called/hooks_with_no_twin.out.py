import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Linear(4, 4)
        self.decoder = torch.nn.Linear(4, 4)

    # TODO(t2l): T2L967 2.x never calls on_post_move_to_device: move its body to setup(stage) (weights tied there stay tied when the module moves)
    def on_post_move_to_device(self):
        self.decoder.weight = self.encoder.weight

    # TODO(t2l): T2L967 2.x never calls on_train_dataloader: move its body to train_dataloader(), before it builds the loader
    def on_train_dataloader(self):
        print("building the train loader")

    # TODO(t2l): T2L967 2.x never calls get_progress_bar_dict: move its body to a progress-bar callback's get_metrics(trainer, pl_module)
    def get_progress_bar_dict(self):
        items = super().get_progress_bar_dict()
        items.pop("v_num", None)
        return items


class Timer(pl.Callback):
    # TODO(t2l): T2L967 2.x never calls on_init_start: move its body to the code that builds the Trainer (2.x has no hook inside Trainer.__init__)
    def on_init_start(self, trainer):
        print("building a Trainer")
