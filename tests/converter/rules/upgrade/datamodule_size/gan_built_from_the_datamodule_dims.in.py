import pytorch_lightning as pl
import torch


class MNISTDataModule(pl.LightningDataModule):
    def __init__(self, batch_size=64):
        super().__init__()
        self.batch_size = batch_size
        self.dims = (1, 28, 28)
        self.num_classes = 10

    def describe(self):
        return f"images of {self.size(1)}x{self.size(2)}"


class GAN(pl.LightningModule):
    def __init__(self, channels, width, height):
        super().__init__()
        self.generator = torch.nn.Linear(100, channels * width * height)


dm = MNISTDataModule()
model = GAN(*dm.size())
print(dm.describe(), dm.size(0))


class Frames(pl.LightningDataModule):
    def __init__(self):
        super().__init__()
        self.dims = (3, 64, 64)


frames = Frames()
frames = load_cached(frames)  # no longer sure to be a Frames: left as it is
shape = frames.size()
