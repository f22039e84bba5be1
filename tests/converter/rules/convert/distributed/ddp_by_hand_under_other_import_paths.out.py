import torch
import torch.distributed as dist
from torch.nn.parallel.distributed import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
import pytorch_lightning as pl


class LitDistributedDataParallel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, sampler, model):
        super().__init__()
        self.sampler = sampler
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.sampler.set_epoch(self.current_epoch)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


def train(rank, world_size):
    # TODO(t2l): T2L917 `init_process_group` by hand: Trainer(strategy="ddp", devices=N) sets up the process group; remove the call (or keep the loop: `t2l convert --to fabric` makes the group Fabric's)
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    dataset = TensorDataset(torch.randn(32, 4), torch.randn(32, 1))
    # TODO(t2l): T2L917 `DistributedSampler` by hand: Lightning shards the data itself and calls set_epoch; remove the sampler
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank)
    loader = DataLoader(dataset, batch_size=8, sampler=sampler)
    # TODO(t2l): T2L917 `DistributedDataParallel` by hand: Trainer(strategy="ddp", devices=N) wraps the model; remove the wrapper (`.module` -> the model)
    model = DistributedDataParallel(torch.nn.Linear(4, 1))
    lit_model = LitDistributedDataParallel(sampler=sampler, model=model)
    trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
    # TODO(t2l): T2L917 `destroy_process_group` by hand: the Trainer tears the process group down; remove the call
    dist.destroy_process_group()


if __name__ == "__main__":
    train(0, 1)
