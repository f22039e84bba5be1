import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class GPT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(16, 8)
        self.head = torch.nn.Linear(8, 16)

    def forward(self, idx):
        return self.head(self.embed(idx))

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        params = {name: p for name, p in self.named_parameters() if p.requires_grad}
        decay = [p for p in params.values() if p.dim() >= 2]
        no_decay = [p for p in params.values() if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=learning_rate, betas=betas)
        return optimizer


model = GPT()
optimizer = model.configure_optimizers(0.1, 3e-4, (0.9, 0.95))
model, optimizer = fabric.setup(model, optimizer)
for iteration in range(3):
    idx = torch.randint(0, 16, (4, 8))
    loss = torch.nn.functional.cross_entropy(model(idx).flatten(0, 1), idx.flatten())
    optimizer.zero_grad(set_to_none=True)
    fabric.backward(loss)
    optimizer.step()
