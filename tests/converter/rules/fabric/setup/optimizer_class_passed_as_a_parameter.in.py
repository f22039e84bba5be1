import torch


def fit(epochs, lr, model, opt_func=torch.optim.SGD):
    optimizer = opt_func(model.parameters(), lr)
    for epoch in range(epochs):
        loss = model(torch.randn(8, 4)).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


model = torch.nn.Linear(4, 1)
opt_func = torch.optim.Adam
fit(3, 0.01, model, opt_func=opt_func)
