import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
accumulation_steps = 4

for it in range(10):
    for micro in range(accumulation_steps):
        x, y = torch.randn(8, 4), torch.randn(8, 1)
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if loss.item() > 10:
            break  # a window cut short: no count of micro-batches says where it ends
    optimizer.step()
    optimizer.zero_grad()
