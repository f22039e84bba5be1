import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset


class Images(pl.LightningDataModule):
    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)

    # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: `Images.test_dataloader`: 2.x calls test_dataloader(); this one takes (num_images_per_class, add_normalize)
    def test_dataloader(self, num_images_per_class, add_normalize=False):
        return DataLoader(TensorDataset(torch.randn(num_images_per_class, 4)), batch_size=4)


class Net(pl.LightningModule):
    # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: `Net.on_fit_start`: 2.x calls on_fit_start(); this one takes (trainer)
    def on_fit_start(self, trainer):
        print("starting", trainer.max_epochs)
