# t2l-fixture: verify --steps 100
"""A name-classifier RNN in the classic tutorial shape: one random example per iteration of a range loop, a train()
step function called per iteration that returns (output, loss.item()), manual SGD on p.data, unseeded; the
running loss is read every 25 iterations (all_losses), so it stays state, not an epoch sum."""
import random

import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

letters = "abcdefghij"
categories = ["even", "odd"]


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        return self.softmax(self.i2o(combined)), self.i2h(combined)

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


def line_to_tensor(line):
    tensor = torch.zeros(len(line), 1, len(letters))
    for i, letter in enumerate(line):
        tensor[i][0][letters.index(letter)] = 1
    return tensor


def random_example():
    line = "".join(random.choice(letters) for _ in range(random.randint(2, 6)))
    category = categories[len(line) % 2]
    return category, line, torch.tensor([categories.index(category)]), line_to_tensor(line)


rnn = RNN(len(letters), 16, len(categories))
rnn = fabric.setup_module(rnn)
criterion = nn.NLLLoss()
learning_rate = 0.005


def train(category_tensor, line_tensor):
    hidden = rnn.initHidden()
    rnn.zero_grad()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)
    fabric.backward(loss)
    # Add parameters' gradients to their values, multiplied by learning rate
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


n_iters = 100
current_loss = 0
all_losses = []
for iter in range(1, n_iters + 1):
    category, line, category_tensor, line_tensor = random_example()
    output, loss = train(category_tensor, line_tensor)
    current_loss += loss
    if iter % 25 == 0:
        all_losses.append(current_loss / 25)
        current_loss = 0
fabric.print(all_losses)
