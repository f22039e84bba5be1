import torch
from torch.utils.data import DataLoader, TensorDataset

decoder = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 4))
optimizer = torch.optim.Adam(decoder.parameters(), lr=1e-3)
train_loader = DataLoader(TensorDataset(torch.randn(16, 2), torch.randn(16, 4)), batch_size=4, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 4)), batch_size=4)


def evaluate(model):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for z, x in val_loader:
            total += torch.nn.functional.mse_loss(model(z), x).item()
    return total / len(val_loader)


for epoch in range(3):
    decoder.train()
    for z, x in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(decoder(z), x).backward()
        optimizer.step()
    val_loss = evaluate(decoder)
    with torch.no_grad():
        samples = decoder(torch.randn(4, 2))
    print(epoch, val_loss, samples.mean().item())
