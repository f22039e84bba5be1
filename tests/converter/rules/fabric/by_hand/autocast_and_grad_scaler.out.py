import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
# TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
scaler = torch.amp.GradScaler("cpu")
for step in range(3):
    # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(scaler.scale(loss))
    scaler.step(optimizer)
    scaler.update()
