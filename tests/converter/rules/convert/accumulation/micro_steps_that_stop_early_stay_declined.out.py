import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
accumulation_steps = 4

for it in range(10):
    # TODO(t2l): T2L919 gradients accumulate over this micro-step loop and `optimizer.step()` runs in the loop around it, and the two loops cannot be made one loop over micro-batches (T2L174: a `break` or `continue` in the micro-steps, a `continue` before them, K or a loop variable bound in the loop, a range with a step): make the micro-step loop the batch loop and step every K batches (`if (i + 1) % K == 0:`); not converted
    for micro in range(accumulation_steps):
        x, y = torch.randn(8, 4), torch.randn(8, 1)
        loss = torch.nn.functional.mse_loss(model(x), y) / accumulation_steps
        loss.backward()
        if loss.item() > 10:
            break  # a window cut short: no count of micro-batches says where it ends
    optimizer.step()
    optimizer.zero_grad()
