# t2l-fixture: verify --steps 24
"""PPO's update in the shape of the single-file RL repositories: each update collects a rollout with the current
policy (no gradients), then several epochs of shuffled minibatches over that rollout, the clipped surrogate and the
value loss summed, one optimizer for both networks. The LightningModule route declines it (the epochs over each
rollout are a loop a Trainer has no place for: it dropped that loop and its shuffle); Fabric keeps it as it is."""
import torch
from torch import nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
obs_dim, n_actions, rollout_len = 6, 3, 96
num_updates, ppo_epochs, minibatch_size = 5, 4, 32
clip_coef, vf_coef, ent_coef = 0.2, 0.5, 0.01


class Environment:
    """A contextual bandit: the reward is highest for the action the first features point at."""

    def observe(self, n):
        return torch.randn(n, obs_dim)

    def reward(self, obs, actions):
        return (obs[:, :n_actions].argmax(1) == actions).float() + 0.1 * torch.randn(len(actions))


actor = nn.Sequential(nn.Linear(obs_dim, 32), nn.Tanh(), nn.Linear(32, n_actions))
critic = nn.Sequential(nn.Linear(obs_dim, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.Adam([*actor.parameters(), *critic.parameters()], lr=2.5e-3, eps=1e-5)
actor = fabric.setup_module(actor)
critic = fabric.setup_module(critic)
optimizer = fabric.setup_optimizers(optimizer)
env = Environment()

for update in range(num_updates):
    with torch.no_grad():  # the rollout: actions from the current policy
        obs = env.observe(rollout_len)
        dist = torch.distributions.Categorical(logits=actor(obs))
        actions = dist.sample()
        logprobs = dist.log_prob(actions)
        returns = env.reward(obs, actions)
        advantages = returns - critic(obs).squeeze(-1)
        advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
    for epoch in range(ppo_epochs):
        order = torch.randperm(rollout_len)
        for start in range(0, rollout_len, minibatch_size):
            mb = order[start : start + minibatch_size]
            new_dist = torch.distributions.Categorical(logits=actor(obs[mb]))
            ratio = (new_dist.log_prob(actions[mb]) - logprobs[mb]).exp()
            pg_loss = torch.max(-advantages[mb] * ratio, -advantages[mb] * ratio.clamp(1 - clip_coef, 1 + clip_coef)).mean()
            v_loss = 0.5 * (critic(obs[mb]).squeeze(-1) - returns[mb]).pow(2).mean()
            loss = pg_loss + vf_coef * v_loss - ent_coef * new_dist.entropy().mean()
            optimizer.zero_grad()
            fabric.backward(loss)
            nn.utils.clip_grad_norm_([*actor.parameters(), *critic.parameters()], 0.5)
            optimizer.step()
    fabric.print(f"update {update}: mean reward {returns.mean().item():.4f} loss {loss.item():.4f}")
