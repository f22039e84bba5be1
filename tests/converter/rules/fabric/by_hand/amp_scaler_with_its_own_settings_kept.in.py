import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler(init_scale=1024.0)  # its own settings: Fabric's scaler starts at 2**16
for step in range(3):
    optimizer.zero_grad()
    with torch.autocast("cuda"):
        loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
torch.save({"model": model.state_dict(), "scaler": scaler.state_dict()}, "last.pt")
