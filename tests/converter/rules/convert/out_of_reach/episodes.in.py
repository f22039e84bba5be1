import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
import gym

env = gym.make("CartPole-v1")
for episode in range(2):
    state = env.reset()
    done = False
    while not done:
        action = model(torch.as_tensor(state, dtype=torch.float32))
        state, reward, done, info = env.step(int(action.item() > 0))
        loss = -action.sum() * reward
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
