import torch

encoder, head = torch.nn.Linear(4, 8), torch.nn.Linear(8, 1)
optimizer = torch.optim.SGD([{"params": encoder.parameters()}, {"params": head.parameters(), "lr": 0.01}], lr=0.1)
for step in range(3):
    loss = head(encoder(torch.randn(8, 4))).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
