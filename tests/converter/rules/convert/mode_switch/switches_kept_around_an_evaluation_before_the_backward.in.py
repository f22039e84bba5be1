import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Dropout(0.3), torch.nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
val_x, val_y = torch.randn(12, 4), torch.randint(0, 2, (12,))

for it in range(12):
    if it % 4 == 0:
        model.eval()
        with torch.no_grad():
            accuracy = (model(val_x).argmax(1) == val_y).float().mean().item()
        print(f"iteration {it}: accuracy {accuracy:.3f}")
        model.train()
    x = torch.randn(8, 4)
    loss = torch.nn.functional.cross_entropy(model(x), (x[:, 0] > 0).long())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
