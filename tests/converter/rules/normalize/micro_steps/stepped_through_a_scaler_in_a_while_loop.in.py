import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler(enabled=False)
accumulation = 2
for iteration in range(10):
    for micro_step in range(accumulation):
        x = torch.randn(8, 4)
        loss = model(x).pow(2).mean() / accumulation
        scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
