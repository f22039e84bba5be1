import torch


class TinyLM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(16, 8)
        self.head = torch.nn.Linear(8, 16)

    def forward(self, idx):
        return self.head(self.embed(idx))

    @torch.no_grad()
    def generate(self, idx, steps):
        for _ in range(steps):
            idx = torch.cat([idx, self(idx)[:, -1].argmax(-1, keepdim=True)], dim=1)
        return idx

    def describe(self):
        return f"{sum(p.numel() for p in self.parameters())} parameters"


model = TinyLM()
print(model.describe())
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for step in range(3):
    idx = torch.randint(0, 16, (4, 6))
    loss = torch.nn.functional.cross_entropy(model(idx).flatten(0, 1), idx.flatten())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(model.generate(torch.zeros(1, 1, dtype=torch.long), 4).tolist(), model.describe())
