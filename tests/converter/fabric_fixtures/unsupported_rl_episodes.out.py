# t2l-fixture: unchanged
"""REINFORCE on an environment: episodes, not a data set. Marked, not converted."""
import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class CoinEnv:
    def reset(self):
        return torch.zeros(2)

    def step(self, action):
        return torch.randn(2), float(action == 1), bool(torch.rand(()) < 0.2)


env = CoinEnv()
policy = torch.nn.Linear(2, 2)
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
policy, optimizer = fabric.setup(policy, optimizer)
for episode in range(5):
    state, log_probs, rewards, done = env.reset(), [], [], False
    while not done:
        dist = torch.distributions.Categorical(logits=policy(state))
        action = dist.sample()
        log_probs.append(dist.log_prob(action))
        state, reward, done = env.step(action.item())
        rewards.append(reward)
    loss = -(torch.stack(log_probs) * torch.tensor(rewards)).sum()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
