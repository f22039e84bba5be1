import torch
from torch.utils.data import DataLoader, TensorDataset

encoder, decoder = torch.nn.Linear(4, 2), torch.nn.Linear(2, 4)
opt_enc = torch.optim.SGD(encoder.parameters(), lr=0.1)
opt_dec = torch.optim.SGD(decoder.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4)), batch_size=4)
accumulation = 2
for epoch in range(2):
    for i, (x,) in enumerate(loader):
        (torch.nn.functional.mse_loss(encoder(x), x[:, :2]) / accumulation).backward()
        (torch.nn.functional.mse_loss(decoder(x[:, :2]), x) / accumulation).backward()
        if (i + 1) % accumulation == 0:
            opt_enc.step()
            opt_dec.step()
            opt_enc.zero_grad()
            opt_dec.zero_grad()
