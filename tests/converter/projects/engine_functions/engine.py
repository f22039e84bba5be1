"""Training and evaluation for one epoch (the reference-scripts shape: the loop in a module, run from train.py)."""
import torch


def train_one_epoch(model, optimizer, data_loader, criterion, epoch, print_freq=2):
    model.train()
    for i, (images, target) in enumerate(data_loader):
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % print_freq == 0:
            print(f"epoch {epoch} [{i}/{len(data_loader)}] loss {loss.item():.4f}")


@torch.no_grad()
def evaluate(model, data_loader, criterion):
    model.eval()
    total, correct = 0.0, 0
    for images, target in data_loader:
        output = model(images)
        total += criterion(output, target).item()
        correct += (output.argmax(1) == target).sum().item()
    print(f"test loss {total / len(data_loader):.4f} acc {correct / len(data_loader.dataset):.3f}")
    return correct / len(data_loader.dataset)


if __name__ == "__main__":
    print("run train.py")
