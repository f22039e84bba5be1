import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Linear(4, 4)
        self.decoder = torch.nn.Linear(4, 4)

    def on_post_move_to_device(self):
        self.decoder.weight = self.encoder.weight

    def on_train_dataloader(self):
        print("building the train loader")

    def get_progress_bar_dict(self):
        items = super().get_progress_bar_dict()
        items.pop("v_num", None)
        return items


class Timer(pl.Callback):
    def on_init_start(self, trainer):
        print("building a Trainer")
