import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler(enabled=False)
accumulation = 2
for iteration in range(10):
    # TODO(t2l): T2L919 gradients accumulate over this micro-step loop and `scaler.step(optimizer)` runs in the loop around it: make the micro-step loop the batch loop and step every K batches (`if (i + 1) % K == 0:`), which converts to Trainer(accumulate_grad_batches=K); not converted
    for micro_step in range(accumulation):
        x = torch.randn(8, 4)
        loss = model(x).pow(2).mean() / accumulation
        scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
