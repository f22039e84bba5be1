import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, train_data, optimizer, save_every):
        self.model = model
        self.train_data = train_data
        self.optimizer = optimizer
        self.save_every = save_every

    def _run_batch(self, source, targets):
        self.optimizer.zero_grad()
        loss = F.mse_loss(self.model(source), targets)
        # TODO(t2l): T2L908 `.backward()` is in the method Trainer._run_batch: a trainer class is flattened only when it has no bases and no decorated methods but @torch.no_grad(), one instance made in one place calls its methods, and `self` is used only as self.attr and self.method(...) statements; else write its batch method as training_step and its optimizer in configure_optimizers by hand (here: no single `x = Trainer(...)` statement in this file makes its instance; if a script beside it does, `t2l convert DIR --entry that_script.py` converts the two together); not converted
        loss.backward()
        self.optimizer.step()

    def _run_epoch(self, epoch):
        for source, targets in self.train_data:
            self._run_batch(source, targets)

    def train(self, max_epochs):
        for epoch in range(max_epochs):
            self._run_epoch(epoch)
            if epoch % self.save_every == 0:
                torch.save(self.model.state_dict(), "checkpoint.pt")


def main():
    torch.manual_seed(0)
    model = torch.nn.Linear(20, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    data = DataLoader(TensorDataset(torch.randn(64, 20), torch.randn(64, 1)), batch_size=16, shuffle=True)
    Trainer(model, data, optimizer, save_every=1).train(3)


if __name__ == "__main__":
    main()
