import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
critic = torch.nn.Linear(1, 1)
opt_model = torch.optim.SGD(model.parameters(), lr=0.1)
opt_critic = torch.optim.SGD(critic.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    for x, y in loader:
        opt_critic.zero_grad()
        critic_loss = torch.nn.functional.mse_loss(critic(y), y)
        critic_loss.backward(retain_graph=True)
        opt_critic.step()

        opt_model.zero_grad()
        model_loss = torch.nn.functional.mse_loss(critic(model(x)), y)
        model_loss.backward()
        opt_model.step()
