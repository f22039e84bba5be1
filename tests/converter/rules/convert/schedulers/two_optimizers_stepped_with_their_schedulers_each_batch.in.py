import torch
from torch.utils.data import DataLoader, TensorDataset

encoder, decoder = torch.nn.Linear(4, 2), torch.nn.Linear(2, 4)
opt_enc = torch.optim.SGD(encoder.parameters(), lr=0.1)
opt_dec = torch.optim.SGD(decoder.parameters(), lr=0.1)
sched_enc = torch.optim.lr_scheduler.StepLR(opt_enc, step_size=2)
sched_dec = torch.optim.lr_scheduler.StepLR(opt_dec, step_size=2)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
for epoch in range(2):
    for (x,) in loader:
        opt_enc.zero_grad()
        torch.nn.functional.mse_loss(encoder(x), x[:, :2]).backward()
        opt_enc.step()
        sched_enc.step()
        opt_dec.zero_grad()
        torch.nn.functional.mse_loss(decoder(x[:, :2]), x).backward()
        opt_dec.step()
        sched_dec.step()
