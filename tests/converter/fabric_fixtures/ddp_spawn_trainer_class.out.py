# t2l-fixture: verify --steps 6 -- 2 1 --batch_size 16
"""Data parallelism by hand in the shape of PyTorch's DDP tutorial series: a setup function that sets the
rendezvous address and makes the process group, a Trainer class that wraps the model in DistributedDataParallel,
a DistributedSampler (its `set_epoch` each epoch, after a first batch read to print its size), a checkpoint on
rank 0, and `mp.spawn` starting one process per device. On CPU with gloo: two processes. Fabric's launch, strategy
and setup take each of these over."""
import argparse

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler
from lightning_fabric import Fabric


class RandomPairs(Dataset):
    def __init__(self, size):
        generator = torch.Generator().manual_seed(0)
        self.data = [(torch.rand(20, generator=generator), torch.rand(1, generator=generator)) for _ in range(size)]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index]


class Trainer:
    def __init__(self, model, train_data, optimizer, rank, save_every):
        self.rank = rank
        self.train_data = train_data
        self.optimizer = optimizer
        self.save_every = save_every
        self.model = model

    def _run_batch(self, source, targets):
        self.optimizer.zero_grad()
        output = self.model(source)
        loss = F.mse_loss(output, targets)
        fabric.backward(loss)
        self.optimizer.step()
        return loss.item()

    def _run_epoch(self, epoch):
        batch_size = len(next(iter(self.train_data))[0])
        self.train_data.sampler.set_epoch(epoch)
        total = 0.0
        for source, targets in self.train_data:
            total += self._run_batch(source, targets)
        fabric.print(f"[rank {self.rank}] epoch {epoch} | batch size {batch_size} | loss {total / len(self.train_data):.4f}")

    def _save_checkpoint(self, epoch):
        torch.save(self.model.module.state_dict(), "checkpoint.pt")
        fabric.print(f"epoch {epoch} | checkpoint saved at checkpoint.pt")

    def train(self, max_epochs):
        for epoch in range(max_epochs):
            self._run_epoch(epoch)
            if self.rank == 0 and epoch % self.save_every == 0:
                self._save_checkpoint(epoch)


def load_train_objs():
    train_set = RandomPairs(128)
    model = torch.nn.Sequential(torch.nn.Linear(20, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model, optimizer = fabric.setup(model, optimizer)
    return train_set, model, optimizer


def prepare_dataloader(dataset, batch_size):
    return DataLoader(dataset, batch_size=batch_size, shuffle=False, sampler=DistributedSampler(dataset))


def main(fabric, world_size, save_every, total_epochs, batch_size):
    rank = fabric.global_rank
    dataset, model, optimizer = load_train_objs()
    train_data = prepare_dataloader(dataset, batch_size)
    trainer = Trainer(model, train_data, optimizer, rank, save_every)
    trainer.train(total_epochs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="simple distributed training job")
    parser.add_argument("total_epochs", type=int, help="Total epochs to train the model")
    parser.add_argument("save_every", type=int, help="How often to save a snapshot")
    parser.add_argument("--batch_size", default=32, type=int, help="Input batch size on each process (default: 32)")
    parser.add_argument("--world_size", default=2, type=int, help="Processes to start (default: 2)")
    args = parser.parse_args()
    fabric = Fabric(accelerator="cpu", strategy="ddp", devices=args.world_size)
    fabric.launch(main, args.world_size, args.save_every, args.total_epochs, args.batch_size)
