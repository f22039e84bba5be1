import torch
from lightning_fabric import Fabric

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
# TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
scaler = torch.cuda.amp.GradScaler(init_scale=1024.0)  # its own settings: Fabric's scaler starts at 2**16
for step in range(3):
    optimizer.zero_grad()
    # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
    with torch.autocast("cuda"):
        loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    fabric.backward(scaler.scale(loss))
    scaler.step(optimizer)
    scaler.update()
torch.save({"model": model.state_dict(), "scaler": scaler.state_dict()}, "last.pt")
