import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
gradient_accumulation_steps, max_iters, eval_only = 3, 8, False


def get_batch():
    return torch.randn(8, 4), torch.randn(8, 1)


X, Y = get_batch()
iter_num = 0
while True:
    if iter_num % 4 == 0:
        print(f"iteration {iter_num}")
    if iter_num == 0 and eval_only:
        break
    for micro_step in range(gradient_accumulation_steps):
        loss = torch.nn.functional.mse_loss(model(X), Y) / gradient_accumulation_steps
        X, Y = get_batch()
        loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    iter_num += 1
    if iter_num > max_iters:
        break
