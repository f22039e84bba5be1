import deepspeed
import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
model_engine, optimizer, loader, _ = deepspeed.initialize(
    model=model, model_parameters=model.parameters(), training_data=TensorDataset(torch.randn(8, 4), torch.randn(8, 1)))
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model_engine(x), y)
        model_engine.backward(loss)
        model_engine.step()
