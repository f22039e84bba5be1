# t2l-fixture: verify --steps 40
"""Full-batch node classification in the PyG example's shape: one graph, masks for train/val/test, train() and
test() functions called every epoch, the best validation accuracy's test accuracy kept."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(12)


class Graph:
    def __init__(self, n, f, c):
        self.x = torch.randn(n, f)
        adj = (torch.rand(n, n) < 0.1).float()
        adj = ((adj + adj.t()) > 0).float() + torch.eye(n)
        deg = adj.sum(1)
        self.adj = adj / deg.sqrt().unsqueeze(0) / deg.sqrt().unsqueeze(1)
        self.y = torch.randint(0, c, (n,))
        perm = torch.randperm(n)
        self.train_mask = torch.zeros(n, dtype=torch.bool)
        self.train_mask[perm[: n // 2]] = True
        self.val_mask = torch.zeros(n, dtype=torch.bool)
        self.val_mask[perm[n // 2: 3 * n // 4]] = True
        self.test_mask = ~(self.train_mask | self.val_mask)


class GCN(nn.Module):
    def __init__(self, f, h, c):
        super().__init__()
        self.lin1 = nn.Linear(f, h)
        self.lin2 = nn.Linear(h, c)

    def forward(self, x, adj):
        x = F.dropout(x, p=0.5, training=self.training)
        x = F.relu(adj @ self.lin1(x))
        x = F.dropout(x, p=0.5, training=self.training)
        return adj @ self.lin2(x)


data = Graph(60, 8, 3)
model = GCN(8, 16, 3)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
model, optimizer = fabric.setup(model, optimizer)


def train():
    model.train()
    optimizer.zero_grad()
    out = model(data.x, data.adj)
    loss = F.cross_entropy(out[data.train_mask], data.y[data.train_mask])
    fabric.backward(loss)
    optimizer.step()
    return float(loss)


@torch.no_grad()
def test():
    model.eval()
    pred = model(data.x, data.adj).argmax(dim=-1)
    accs = []
    for mask in [data.train_mask, data.val_mask, data.test_mask]:
        accs.append(int((pred[mask] == data.y[mask]).sum()) / int(mask.sum()))
    return accs


best_val_acc = final_test_acc = 0
for epoch in range(1, 21):
    loss = train()
    train_acc, val_acc, tmp_test_acc = test()
    if val_acc > best_val_acc:  # test_acc is first set here, not before the loop
        best_val_acc = val_acc
        test_acc = tmp_test_acc
    fabric.print(f"Epoch: {epoch:03d}, Loss: {loss:.4f}, Train: {train_acc:.4f}, Val: {val_acc:.4f}, Test: {test_acc:.4f}")
