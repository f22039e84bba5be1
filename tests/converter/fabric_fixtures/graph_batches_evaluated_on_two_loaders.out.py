# t2l-fixture: verify --steps 30
"""Graph classification in the PyG shape: pre-made batches (objects with attributes and their own .to()) in a list a
function builds, a train() returning the epoch loss weighted by num_graphs, and a test(loader) function called twice
each epoch, on the training and the test batches: the first call is the validation, the second stays as written in
on_train_epoch_end. The list goes to the Trainer through a DataLoader with its own generator (a DataLoader draws a seed
from torch's RNG each epoch; the list did not, and dropout would draw other masks)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning_fabric import Fabric


class GraphBatch:
    def __init__(self, x, edge_index, batch, y):
        self.x, self.edge_index, self.batch, self.y = x, edge_index, batch, y
        self.num_graphs = int(batch.max()) + 1

    def to(self, device):
        return GraphBatch(self.x.to(device), self.edge_index.to(device), self.batch.to(device), self.y.to(device))


def make_batches(n_batches, graphs_per_batch, seed):
    g = torch.Generator().manual_seed(seed)
    batches = []
    for _ in range(n_batches):
        nodes = 5 * graphs_per_batch
        x = torch.randn(nodes, 8, generator=g)
        edge_index = torch.randint(0, nodes, (2, 3 * nodes), generator=g)
        batch = torch.arange(graphs_per_batch).repeat_interleave(5)
        y = torch.randint(0, 3, (graphs_per_batch,), generator=g)
        batches.append(GraphBatch(x, edge_index, batch, y))
    return batches


class GCN(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.lin1 = nn.Linear(8, hidden)
        self.lin2 = nn.Linear(hidden, 3)

    def forward(self, x, edge_index, batch):
        h = self.lin1(x)
        agg = torch.zeros_like(h).index_add_(0, edge_index[1], h[edge_index[0]])
        h = F.relu(h + agg)
        pooled = torch.zeros(int(batch.max()) + 1, h.size(1)).index_add_(0, batch, h)
        return self.lin2(F.dropout(pooled, p=0.5, training=self.training))


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
torch.manual_seed(12345)
train_loader = make_batches(6, 4, 0)
test_loader = make_batches(2, 4, 1)
model = GCN(hidden=16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
model, optimizer = fabric.setup(model, optimizer)


def train():
    model.train()
    total_loss = 0
    for data in train_loader:
        data = data.to(device)
        optimizer.zero_grad()
        out = model(data.x, data.edge_index, data.batch)
        loss = F.cross_entropy(out, data.y)
        fabric.backward(loss)
        optimizer.step()
        total_loss += float(loss) * data.num_graphs
    return total_loss / sum(d.num_graphs for d in train_loader)


@torch.no_grad()
def test(loader):
    model.eval()
    correct = 0
    for data in loader:
        data = data.to(device)
        pred = model(data.x, data.edge_index, data.batch).argmax(dim=1)
        correct += int((pred == data.y).sum())
    return correct / sum(d.num_graphs for d in loader)


for epoch in range(1, 6):
    loss = train()
    train_acc = test(train_loader)
    test_acc = test(test_loader)
    fabric.print(f"Epoch: {epoch:03d}, Loss: {loss:.4f}, Train: {train_acc:.4f}, Test: {test_acc:.4f}")
