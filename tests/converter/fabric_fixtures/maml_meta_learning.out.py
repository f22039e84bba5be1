# t2l-fixture: verify --steps 6 -- --iterations 6
"""MAML in the shape of the meta-learning twins: a meta-batch of tasks per iteration, each adapted by inner SGD steps
on a copy of the weights, its evaluation loss back-propagated into the meta-gradient, the gradients averaged by
hand, one outer step. The device is chosen, then overridden when CUDA is asked for. Declined by the
LightningModule route's shape (no data set, a loop of tasks); Fabric keeps it as it is."""
import argparse

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call
from lightning_fabric import Fabric


def sample_task(ways, shots, dim=16):
    """One few-shot classification task: `ways` random class centres, 2 * shots noisy points around each."""
    centres = torch.randn(ways, dim)
    labels = torch.arange(ways).repeat_interleave(2 * shots)
    data = centres[labels] + 0.5 * torch.randn(len(labels), dim)
    return data, labels


def fast_adapt(task, model, adaptation_steps, fast_lr, shots, ways, device):
    data, labels = task
    data, labels = data.to(device), labels.to(device)
    adaptation = np.zeros(data.size(0), dtype=bool)
    adaptation[np.arange(shots * ways) * 2] = True
    evaluation = torch.from_numpy(~adaptation)
    adaptation = torch.from_numpy(adaptation)
    params = dict(model.named_parameters())
    for step in range(adaptation_steps):
        train_error = F.cross_entropy(functional_call(model, params, (data[adaptation],)), labels[adaptation])
        grads = torch.autograd.grad(train_error, list(params.values()), create_graph=True)
        params = {name: p - fast_lr * g for (name, p), g in zip(params.items(), grads)}
    predictions = functional_call(model, params, (data[evaluation],))
    valid_error = F.cross_entropy(predictions, labels[evaluation])
    valid_accuracy = (predictions.argmax(dim=1) == labels[evaluation]).float().mean()
    return valid_error, valid_accuracy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ways", type=int, default=5)
    parser.add_argument("--shots", type=int, default=2)
    parser.add_argument("--meta-batch-size", type=int, default=4)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--cuda", action="store_true")
    args = parser.parse_args()

    device = torch.device("cpu")
    if args.cuda and torch.cuda.device_count():
        device = torch.device("cuda:0")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()

    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, args.ways))
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), 0.003)
    opt = fabric.setup_optimizers(opt)
    for iteration in range(args.iterations):
        opt.zero_grad()
        meta_train_error = 0.0
        for task in range(args.meta_batch_size):
            evaluation_error, evaluation_accuracy = fast_adapt(
                sample_task(args.ways, args.shots), model, 1, 0.5, args.shots, args.ways, device)
            fabric.backward(evaluation_error)
            meta_train_error += evaluation_error.item()
        fabric.print("Iteration", iteration, "meta train error", meta_train_error / args.meta_batch_size)
        for p in model.parameters():
            p.grad.data.mul_(1.0 / args.meta_batch_size)
        opt.step()


if __name__ == "__main__":
    main()
