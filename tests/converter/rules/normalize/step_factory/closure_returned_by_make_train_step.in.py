import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 1), torch.randn(32, 1)), batch_size=8, shuffle=True)


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        yhat = model(x)
        loss = loss_fn(y, yhat)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    return train_step


model = torch.nn.Linear(1, 1)
loss_fn = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_step = make_train_step(model, loss_fn, optimizer)
losses = []
for epoch in range(3):
    for x_batch, y_batch in loader:
        loss = train_step(x_batch, y_batch)
        losses.append(loss)
print(f"{len(losses)} steps, last loss {losses[-1]:.6f}")
