# t2l-fixture: verify --steps 24
"""Free adversarial training in the shape of its reference repository: each minibatch replayed n_repeats times, one
optimizer step per replay, the perturbation (global, kept across batches) updated from the input gradient of the same
backward pass."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
batch_size, n_features = 32, 20
inputs_all = torch.randn(320, n_features)
labels_all = (inputs_all[:, :4].sum(1) > 0).long() + (inputs_all[:, 4] > 1).long()
train_loader = DataLoader(TensorDataset(inputs_all, labels_all), batch_size=batch_size, shuffle=True, drop_last=True)
train_loader = fabric.setup_dataloaders(train_loader)

model = nn.Sequential(nn.Linear(n_features, 64), nn.ReLU(), nn.Linear(64, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
model, optimizer = fabric.setup(model, optimizer)
n_repeats, fgsm_step, clip_eps = 4, 0.02, 0.05
global_noise_data = torch.zeros(batch_size, n_features)

for epoch in range(2):
    model.train()
    for i, (input, target) in enumerate(train_loader):
        for j in range(n_repeats):
            noise_batch = global_noise_data.clone().requires_grad_(True)
            in1 = input + noise_batch
            output = model(in1)
            loss = criterion(output, target)
            optimizer.zero_grad()
            fabric.backward(loss)
            # the perturbation ascends the loss with the same backward pass
            pert = fgsm_step * torch.sign(noise_batch.grad)
            global_noise_data += pert.data
            global_noise_data.clamp_(-clip_eps, clip_eps)
            optimizer.step()
        if i % 3 == 0:
            accuracy = (output.argmax(1) == target).float().mean().item()
            fabric.print(f"epoch {epoch} batch {i}: loss {loss.item():.4f} accuracy {accuracy:.3f}")
