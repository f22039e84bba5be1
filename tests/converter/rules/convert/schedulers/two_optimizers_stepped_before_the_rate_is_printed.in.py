import torch
from torch.utils.data import DataLoader, TensorDataset

encoder = torch.nn.Linear(4, 2)
decoder = torch.nn.Linear(2, 4)
opt_enc = torch.optim.Adam(encoder.parameters(), lr=0.01)
opt_dec = torch.optim.Adam(decoder.parameters(), lr=0.01)
sched_enc = torch.optim.lr_scheduler.StepLR(opt_enc, step_size=1, gamma=0.5)
sched_dec = torch.optim.lr_scheduler.StepLR(opt_dec, step_size=1, gamma=0.5)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)

for epoch in range(2):
    for (x,) in loader:
        opt_enc.zero_grad()
        code = encoder(x)
        torch.nn.functional.mse_loss(code, x[:, :2]).backward()
        opt_enc.step()
        opt_dec.zero_grad()
        torch.nn.functional.mse_loss(decoder(code.detach()), x).backward()
        opt_dec.step()
    sched_enc.step()
    print("epoch", epoch, "encoder lr", sched_enc.get_last_lr()[0])
    sched_dec.step()
