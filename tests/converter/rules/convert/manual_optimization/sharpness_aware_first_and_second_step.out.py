import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class SAM(torch.optim.Optimizer):
    def __init__(self, params, base_optimizer, rho=0.05, **kwargs):
        defaults = dict(rho=rho, **kwargs)
        super().__init__(params, defaults)
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        grad_norm = torch.norm(torch.stack([p.grad.norm(p=2) for group in self.param_groups for p in group["params"] if p.grad is not None]), p=2)
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["old_p"] = p.data.clone()
                p.add_(p.grad * scale)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.data = self.state[p]["old_p"]
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()


torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(16, 6), torch.randint(0, 2, (16,))), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 44."""

    def __init__(self, criterion, model):
        super().__init__()
        self.automatic_optimization = False  # several backward calls per step, or one that keeps the graph: we call backward and step
        self.criterion = criterion
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        loss = self.criterion(self.model(x), y)
        self.manual_backward(loss)
        optimizer.first_step(zero_grad=True)
        loss_1 = self.criterion(self.model(x), y)
        self.manual_backward(loss_1)
        optimizer.second_step(zero_grad=True)
        self.log_dict({"loss": loss, "loss_1": loss_1})
        self.loss = loss  # the last batch's, read after it

    def configure_optimizers(self):
        optimizer = SAM(self.model.parameters(), torch.optim.SGD, lr=0.1, momentum=0.9)
        return [optimizer]

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} loss {self.loss.item():.6f}")


lit_model = LitModel(criterion=criterion, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
