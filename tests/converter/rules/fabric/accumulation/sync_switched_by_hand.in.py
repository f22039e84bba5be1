"""DDP's gradient sync switched off by hand until the last micro-step (nanoGPT's `require_backward_grad_sync`):
the statements from the switch to the backward go in fabric.no_backward_sync; the switch goes."""
import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.AdamW(model.parameters())
steps = 4
for iteration in range(10):
    for micro_step in range(steps):
        model.require_backward_grad_sync = micro_step == steps - 1
        loss = model(torch.randn(8, 4)).pow(2).mean() / steps
        loss.backward()
    optimizer.step()
    optimizer.zero_grad()
