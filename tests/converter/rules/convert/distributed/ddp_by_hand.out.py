import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 22."""

    def __init__(self, loader, model):
        super().__init__()
        self.loader = loader
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.loader.sampler.set_epoch(self.current_epoch)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


def run(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "localhost")
    os.environ.setdefault("MASTER_PORT", "29512")
    # TODO(t2l): T2L917 `init_process_group` by hand: Trainer(strategy="ddp", devices=N) sets up the process group; remove the call (or keep the loop: `t2l convert --to fabric` makes the group Fabric's)
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(0)
    dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
    # TODO(t2l): T2L917 `DistributedSampler` by hand: Lightning shards the data itself and calls set_epoch; remove the sampler
    loader = DataLoader(dataset, batch_size=8, sampler=DistributedSampler(dataset))
    # TODO(t2l): T2L917 `DistributedDataParallel` by hand: Trainer(strategy="ddp", devices=N) wraps the model; remove the wrapper (`.module` -> the model)
    model = DDP(torch.nn.Linear(4, 1))
    lit_model = LitModel(loader=loader, model=model)
    trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
    if rank == 0:
        torch.save(model.module.state_dict(), "model.pt")
    # TODO(t2l): T2L917 `destroy_process_group` by hand: the Trainer tears the process group down; remove the call
    dist.destroy_process_group()


if __name__ == "__main__":
    # TODO(t2l): T2L917 `spawn` by hand: Trainer(strategy="ddp", devices=N) starts the processes; call the function once instead (or keep the loop: `t2l convert --to fabric` makes the launch Fabric's)
    mp.spawn(run, args=(2,), nprocs=2)
