import torch

data = torch.randint(0, 16, (200,))
model = torch.nn.Embedding(16, 16)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)


def get_batch(split):
    ix = torch.randint(len(data) - 9, (4,))
    x = torch.stack([data[i:i + 8] for i in ix])
    y = torch.stack([data[i + 1:i + 9] for i in ix])
    return x, y


def get_pinned_batch(split):  # places its batch itself: left as written
    x, y = get_batch(split)
    return x.pin_memory(), y.pin_memory()


def temperature(step):  # not a batch: never reaches the model
    return torch.tensor(1.0 + step / 100)


@torch.no_grad()
def estimate_loss():
    X, Y = get_batch("val")  # fed to the model: moved
    logits = model(X)
    return torch.nn.functional.cross_entropy(logits.view(-1, 16), Y.view(-1))


for step in range(20):
    xb, yb = get_batch("train") if step % 2 else get_pinned_batch("train")
    xb, yb = get_batch("train")
    t = temperature(step)
    logits = model(xb) / t
    loss = torch.nn.functional.cross_entropy(logits.view(-1, 16), yb.view(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        print(step, estimate_loss().item())
