import torch

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
tasks_per_step = 3


def sample_task():
    return torch.randn(6, 4), torch.randn(6, 1)


for iteration in range(20):
    model.train()
    optimizer.zero_grad()
    step_error = 0.0
    for task in range(tasks_per_step):
        x, y = sample_task()
        error = torch.nn.functional.mse_loss(model(x), y)
        error.backward()
        step_error += error.item()
    for p in model.parameters():
        p.grad.mul_(1.0 / tasks_per_step)
    optimizer.step()
    if iteration % 5 == 0:
        print(f"iteration {iteration}: task {task} mean error {step_error / tasks_per_step:.4f}")
