# t2l-fixture: verify --steps 30
"""The sentiment-LSTM notebook shape: padded reviews, the hidden state made each epoch and detached each batch, a
validation pass every print_every steps inside the batch loop (its own hidden state, its own `for inputs, labels in
valid_loader:`), a test pass after training. The validation block rebinds `inputs`, `labels` and `output`, which the
training reads only after binding them itself (and `labels`, bound at module level before the loop, is the loop's own
target): it moves to on_train_batch_end, after Lightning's step, as the loop ran it after the optimizer's."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="auto", devices=1)
fabric.launch()

train_on_gpu = torch.cuda.is_available()
np.random.seed(0)
features = np.random.randint(1, 60, (200, 20))
labels = (features[:, 0] > 30).astype(np.int64)
train_data = TensorDataset(torch.from_numpy(features[:120]), torch.from_numpy(labels[:120]))
valid_data = TensorDataset(torch.from_numpy(features[120:160]), torch.from_numpy(labels[120:160]))
test_data = TensorDataset(torch.from_numpy(features[160:]), torch.from_numpy(labels[160:]))
batch_size = 10
train_loader = DataLoader(train_data, shuffle=True, batch_size=batch_size)
train_loader = fabric.setup_dataloaders(train_loader)
valid_loader = DataLoader(valid_data, shuffle=True, batch_size=batch_size)
valid_loader = fabric.setup_dataloaders(valid_loader)
test_loader = DataLoader(test_data, shuffle=True, batch_size=batch_size)
test_loader = fabric.setup_dataloaders(test_loader)


class SentimentRNN(nn.Module):
    def __init__(self, vocab_size, output_size, embedding_dim, hidden_dim, n_layers, drop_prob=0.5):
        super().__init__()
        self.output_size = output_size
        self.n_layers = n_layers
        self.hidden_dim = hidden_dim
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=drop_prob, batch_first=True)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(hidden_dim, output_size)
        self.sig = nn.Sigmoid()

    def forward(self, x, hidden):
        batch_size = x.size(0)
        embeds = self.embedding(x.long())
        lstm_out, hidden = self.lstm(embeds, hidden)
        lstm_out = lstm_out.contiguous().view(-1, self.hidden_dim)
        out = self.fc(self.dropout(lstm_out))
        sig_out = self.sig(out).view(batch_size, -1)[:, -1]
        return sig_out, hidden

    def init_hidden(self, batch_size):
        weight = next(self.parameters()).data
        return (weight.new(self.n_layers, batch_size, self.hidden_dim).zero_(),
                weight.new(self.n_layers, batch_size, self.hidden_dim).zero_())


torch.manual_seed(1)
net = SentimentRNN(60, 1, 16, 24, 2)
lr = 0.01
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(net.parameters(), lr=lr)
net, optimizer = fabric.setup(net, optimizer)
epochs = 3
counter = 0
print_every = 4
clip = 5
if train_on_gpu:
    net.cuda()
net.train()
for e in range(epochs):
    h = net.init_hidden(batch_size)
    for inputs, labels in train_loader:
        counter += 1
        if train_on_gpu:
            inputs, labels = inputs.cuda(), labels.cuda()
        h = tuple([each.data for each in h])
        net.zero_grad()
        output, h = net(inputs, h)
        loss = criterion(output.squeeze(), labels.float())
        fabric.backward(loss)
        fabric.clip_gradients(net, optimizer, max_norm=clip, error_if_nonfinite=False)
        optimizer.step()
        if counter % print_every == 0:
            val_h = net.init_hidden(batch_size)
            val_losses = []
            net.eval()
            for inputs, labels in valid_loader:
                val_h = tuple([each.data for each in val_h])
                if train_on_gpu:
                    inputs, labels = inputs.cuda(), labels.cuda()
                output, val_h = net(inputs, val_h)
                val_loss = criterion(output.squeeze(), labels.float())
                val_losses.append(val_loss.item())
            net.train()
            fabric.print("Epoch: {}/{}...".format(e + 1, epochs), "Step: {}...".format(counter),
                  "Loss: {:.6f}...".format(loss.item()), "Val Loss: {:.6f}".format(np.mean(val_losses)))

test_losses = []
num_correct = 0
h = net.init_hidden(batch_size)
net.eval()
for inputs, labels in test_loader:
    h = tuple([each.data for each in h])
    if train_on_gpu:
        inputs, labels = inputs.cuda(), labels.cuda()
    output, h = net(inputs, h)
    test_loss = criterion(output.squeeze(), labels.float())
    test_losses.append(test_loss.item())
    pred = torch.round(output.squeeze())
    correct_tensor = pred.eq(labels.float().view_as(pred))
    correct = np.squeeze(correct_tensor.numpy()) if not train_on_gpu else np.squeeze(correct_tensor.cpu().numpy())
    num_correct += np.sum(correct)
fabric.print("Test loss: {:.3f}".format(np.mean(test_losses)))
fabric.print("Test accuracy: {:.3f}".format(num_correct / len(test_loader.dataset)))
