# t2l-fixture: verify --steps 12
"""Semi-supervised training (the FixMatch shape): each labeled batch is paired with an unlabeled batch fetched by
hand from its own loader, refilled on StopIteration; pseudo-labels above a threshold, weak/strong noise."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
labeled_loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
unlabeled_loader = DataLoader(TensorDataset(torch.randn(40, 6)), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
model, optimizer = fabric.setup(model, optimizer)
threshold, lambda_u = 0.5, 1.0
unlabeled_iter = iter(unlabeled_loader)
for epoch in range(3):
    model.train()
    losses_x, losses_u = 0.0, 0.0
    for inputs_x, targets_x in labeled_loader:
        try:
            (inputs_u,) = next(unlabeled_iter)
        except StopIteration:
            unlabeled_iter = iter(unlabeled_loader)
            (inputs_u,) = next(unlabeled_iter)
        weak = inputs_u + 0.01 * torch.randn_like(inputs_u)
        strong = inputs_u + 0.3 * torch.randn_like(inputs_u)
        logits_x = model(inputs_x)
        Lx = F.cross_entropy(logits_x, targets_x)
        with torch.no_grad():
            probs = torch.softmax(model(weak), dim=-1)
            max_probs, pseudo = probs.max(dim=-1)
            mask = max_probs.ge(threshold).float()
        Lu = (F.cross_entropy(model(strong), pseudo, reduction="none") * mask).mean()
        loss = Lx + lambda_u * Lu
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        losses_x += Lx.item()
        losses_u += Lu.item()
    fabric.print(f"epoch {epoch} Lx {losses_x / len(labeled_loader):.5f} Lu {losses_u / len(labeled_loader):.5f}")
