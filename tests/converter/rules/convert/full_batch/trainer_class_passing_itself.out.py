import torch
from torch.utils.data import DataLoader, TensorDataset


def report(trainer, epoch):
    print(f"epoch {epoch}: lr {trainer.optimizer.param_groups[0]['lr']}")


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def train(self, epochs):
        # TODO(t2l): T2L908 `.backward()` is in the method Trainer.train: a trainer class is flattened only when it has no bases and no decorated methods but @torch.no_grad(), one instance made in one place calls its methods, and `self` is used only as self.attr and self.method(...) statements; else write its batch method as training_step and its optimizer in configure_optimizers by hand (here: train uses `self` other than as self.attr or self.method(...)); not converted
        for epoch in range(epochs):
            for x, y in self.loader:
                self.optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(self.model(x), y)
                loss.backward()
                self.optimizer.step()
            report(self, epoch)


trainer = Trainer(torch.nn.Linear(4, 1), DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8))
trainer.train(2)
