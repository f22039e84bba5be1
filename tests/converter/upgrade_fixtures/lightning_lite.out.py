# t2l-fixture: run
"""A LightningLite script from the 1.5-1.9 era (T2L219): LightningLite is Fabric in 2.x, with the same methods,
and a subclass that overrides run() still works. As written it fails on 2.x: pytorch_lightning.lite is gone."""
import torch
from lightning_fabric import Fabric as LightningLite

from tiny import loader


class Lite(LightningLite):
    def run(self, epochs):
        model = torch.nn.Linear(4, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        model, optimizer = self.setup(model, optimizer)
        train_loader = self.setup_dataloaders(loader())
        losses = []
        for _ in range(epochs):
            for x, y in train_loader:
                loss = torch.nn.functional.mse_loss(model(x), y)
                optimizer.zero_grad()
                self.backward(loss)
                optimizer.step()
                losses.append(loss.item())
        return losses


torch.manual_seed(0)
losses = Lite(accelerator="cpu", devices=1).run(epochs=3)
print(f"first loss {losses[0]:.4f}, last {losses[-1]:.4f}")
assert len(losses) == 12 and losses[-1] < losses[0]
