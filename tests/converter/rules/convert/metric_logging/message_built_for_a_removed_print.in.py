import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(4, 1)
optimizer = torch.optim.Adam(model.parameters())
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
for epoch in range(2):
    agg_loss = 0.0
    for batch_id, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        agg_loss += loss.item()
        if (batch_id + 1) % 2 == 0:
            mesg = "Epoch {}:\t[{}/{}]\tloss: {:.6f}".format(epoch + 1, batch_id + 1, len(loader), agg_loss / (batch_id + 1))
            print(mesg)
