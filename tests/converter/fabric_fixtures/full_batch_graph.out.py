# t2l-fixture: verify --steps 12
"""Full-batch training in the graph-network style: no batch loop, `train()` steps once over the whole graph per
epoch, `test()` evaluates every split with masks, an epoch print. Dropout makes train/eval mode matter."""
import torch
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
num_nodes, num_features, num_classes = 60, 8, 3
x = torch.randn(num_nodes, num_features)
adj = (torch.rand(num_nodes, num_nodes) < 0.1).float()
adj = adj + adj.t() + torch.eye(num_nodes)
adj = adj / adj.sum(1, keepdim=True)
y = torch.randint(0, num_classes, (num_nodes,))
train_mask = torch.zeros(num_nodes, dtype=torch.bool)
train_mask[:30] = True
val_mask = ~train_mask


class GCN(torch.nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lin1 = torch.nn.Linear(num_features, hidden)
        self.lin2 = torch.nn.Linear(hidden, num_classes)

    def forward(self, x, adj):
        x = F.dropout(x, p=0.5, training=self.training)
        x = F.relu(adj @ self.lin1(x))
        x = F.dropout(x, p=0.5, training=self.training)
        return F.log_softmax(adj @ self.lin2(x), dim=1)


model = GCN()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
model, optimizer = fabric.setup(model, optimizer)


def train():
    model.train()
    optimizer.zero_grad()
    out = model(x, adj)
    loss = F.nll_loss(out[train_mask], y[train_mask])
    fabric.backward(loss)
    optimizer.step()
    return float(loss)


@torch.no_grad()
def test():
    model.eval()
    pred = model(x, adj).argmax(dim=-1)
    accs = []
    for mask in [train_mask, val_mask]:
        accs.append(int((pred[mask] == y[mask]).sum()) / int(mask.sum()))
    return accs


for epoch in range(1, 21):
    loss = train()
    train_acc, val_acc = test()
    fabric.print(f"Epoch: {epoch:03d}, Loss: {loss:.4f}, Train: {train_acc:.4f}, Val: {val_acc:.4f}")
