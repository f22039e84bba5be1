# t2l-fixture: verify --steps 12
"""Robustness measured each epoch: the evaluation crafts FGSM examples with torch.autograd.grad on the inputs
(no optimizer step), then reports clean and adversarial accuracy."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
train_loader = DataLoader(TensorDataset(torch.randn(48, 10), torch.randint(0, 3, (48,))), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(torch.randn(24, 10), torch.randint(0, 3, (24,))), batch_size=12)
test_loader = fabric.setup_dataloaders(test_loader)


def evaluate(epsilon=0.1):
    model.eval()
    clean, adversarial = 0, 0
    for x, y in test_loader:
        x = x.clone().requires_grad_(True)
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        grad, = torch.autograd.grad(loss, x)
        x_adv = (x + epsilon * grad.sign()).detach()
        clean += (logits.argmax(1) == y).sum().item()
        with torch.no_grad():
            adversarial += (model(x_adv).argmax(1) == y).sum().item()
    return clean / len(test_loader.dataset), adversarial / len(test_loader.dataset)


for epoch in range(3):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        fabric.backward(loss)
        optimizer.step()
    clean_acc, adv_acc = evaluate()
    fabric.print(f"epoch {epoch} clean {clean_acc:.4f} adversarial {adv_acc:.4f}")
