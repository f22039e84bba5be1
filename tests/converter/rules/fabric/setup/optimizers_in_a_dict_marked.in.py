import torch

generator, critic = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
optimizers = {"generator": torch.optim.Adam(generator.parameters()), "critic": torch.optim.Adam(critic.parameters())}
for step in range(3):
    loss = critic(generator(torch.randn(8, 4))).mean()
    loss.backward()
    for optimizer in optimizers.values():
        optimizer.step()
        optimizer.zero_grad()
