import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

from engine import evaluate, train_one_epoch
from models import small_net


def main(args):
    torch.manual_seed(args.seed)
    train_set = TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,)))
    test_set = TensorDataset(torch.randn(16, 6), torch.randint(0, 3, (16,)))
    train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=8)
    model = small_net()
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    for epoch in range(args.epochs):
        train_one_epoch(model, optimizer, train_loader, criterion, epoch)
        scheduler.step()
        evaluate(model, test_loader, criterion)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    main(parser.parse_args())
