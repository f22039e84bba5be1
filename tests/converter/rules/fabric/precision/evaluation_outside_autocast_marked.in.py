import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cuda", enabled=device.type == "cuda")
for step in range(3):
    optimizer.zero_grad()
    with torch.autocast(device.type, dtype=torch.float16, enabled=device.type == "cuda"):
        loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
with torch.no_grad():
    print(model(torch.randn(8, 4, device=device)).mean())
