import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Linear(4, 8)
        self.norm = torch.nn.LayerNorm(8)
        self.out = torch.nn.Linear(8, 1)

    def forward(self, x):
        return self.out(self.norm(self.encoder(x)))


model = Net()
decay, no_decay = [], []
for name, param in model.named_parameters():
    (no_decay if name.endswith("bias") or name.startswith("norm.") else decay).append(param)
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}])
model, optimizer = fabric.setup(model, optimizer)
head = torch.nn.Linear(1, 1)
other = torch.optim.SGD([{"params": model.encoder.parameters()}, {"params": head.parameters(), "lr": 0.1}], lr=0.01)
other = fabric.setup_optimizers(other)
for step in range(3):
    optimizer.zero_grad()
    other.zero_grad()
    loss = head(model(torch.randn(8, 4))).pow(2).mean()
    fabric.backward(loss)
    optimizer.step()
    other.step()
