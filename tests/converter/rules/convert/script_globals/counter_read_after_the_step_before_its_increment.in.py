import torch

torch.manual_seed(0)
x, y = torch.randn(256, 4), torch.randn(256, 1)
model = torch.nn.Linear(4, 1)
base_lr = 0.1
optimizer = torch.optim.SGD(model.parameters(), lr=base_lr)
global_step = 0


def noise_scale():
    return 1.0 / (1 + global_step)


for i in range(40):
    idx = torch.randint(0, 256, (32,))
    loss = torch.nn.functional.mse_loss(model(x[idx] + noise_scale() * torch.randn(32, 4)), y[idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    for group in optimizer.param_groups:
        group["lr"] = base_lr * 0.5 ** (global_step / 10)  # the steps before this one
    if i % 10 == 0:
        print(f"step {i} loss {loss.item():.6f}")
    global_step += 1
