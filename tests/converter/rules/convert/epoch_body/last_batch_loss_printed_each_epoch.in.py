import torch
from torch.utils.data import DataLoader, TensorDataset

autoencoder = torch.nn.Sequential(torch.nn.Linear(8, 3), torch.nn.ReLU(), torch.nn.Linear(3, 8))
optimizer = torch.optim.Adam(autoencoder.parameters(), lr=1e-3)
images = DataLoader(TensorDataset(torch.rand(48, 8)), batch_size=16, shuffle=True)
num_epochs = 3
for epoch in range(num_epochs):
    for (img,) in images:
        output = autoencoder(img)
        loss = torch.nn.functional.mse_loss(output, img)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("epoch [{}/{}], loss:{:.4f}".format(epoch + 1, num_epochs, loss.item()))
