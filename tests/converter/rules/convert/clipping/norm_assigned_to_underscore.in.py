import torch

model = torch.nn.Linear(3, 1)
optimizer = torch.optim.Adam(model.parameters())
batches = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(3)]
for epoch in range(2):
    for x, y in batches:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        _ = torch.nn.utils.clip_grad_norm_(model.parameters(), 50.0)
        optimizer.step()
