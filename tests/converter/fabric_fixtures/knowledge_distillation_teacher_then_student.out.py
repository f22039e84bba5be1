# t2l-fixture: verify --steps 24
"""Knowledge distillation in the shape of PyTorch's distillation tutorial: a `train` function called for a deep
teacher and a light student, a `test` function after each, then a third training function that distills the
teacher into a fresh student (the teacher's logits under no_grad and in eval mode, its dropout off; a
temperature-scaled soft-target loss plus cross-entropy). Three trainings one after another: each gets its own
LightningModule and Trainer (the train function's twice)."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
torch.manual_seed(0)
features = torch.randn(160, 24)
labels = (features[:, :4].sum(1) > 0).long() + 2 * (features[:, 4] > 0.5).long()
train_loader = DataLoader(TensorDataset(features[:128], labels[:128]), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(features[128:], labels[128:]), batch_size=32)
test_loader = fabric.setup_dataloaders(test_loader)


class DeepNN(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.net(x)


class LightNN(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(24, 16), nn.ReLU(), nn.Linear(16, num_classes))

    def forward(self, x):
        return self.net(x)


def train(model, train_loader, epochs, learning_rate, device):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=learning_rate)
    model, optimizer = fabric.setup(model, optimizer)
    model.train()
    for epoch in range(epochs):
        running_loss = 0.0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            fabric.backward(loss)
            optimizer.step()
            running_loss += loss.item()
        fabric.print(f"Epoch {epoch + 1}/{epochs}, Loss: {running_loss / len(train_loader)}")


def train_knowledge_distillation(teacher, student, train_loader, epochs, learning_rate, T, soft_target_loss_weight, ce_loss_weight, device):
    ce_loss = nn.CrossEntropyLoss()
    optimizer = optim.Adam(student.parameters(), lr=learning_rate)
    student, optimizer = fabric.setup(student, optimizer)
    teacher.eval()
    student.train()
    for epoch in range(epochs):
        running_loss = 0.0
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            with torch.no_grad():
                teacher_logits = teacher(inputs)
            student_logits = student(inputs)
            soft_targets = nn.functional.softmax(teacher_logits / T, dim=-1)
            soft_prob = nn.functional.log_softmax(student_logits / T, dim=-1)
            soft_targets_loss = torch.sum(soft_targets * (soft_targets.log() - soft_prob)) / soft_prob.size()[0] * (T**2)
            label_loss = ce_loss(student_logits, labels)
            loss = soft_target_loss_weight * soft_targets_loss + ce_loss_weight * label_loss
            fabric.backward(loss)
            optimizer.step()
            running_loss += loss.item()
        fabric.print(f"Epoch {epoch + 1}/{epochs}, Loss: {running_loss / len(train_loader)}")


def test(model, test_loader, device):
    model.to(device)
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for inputs, labels in test_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            outputs = model(inputs)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    accuracy = 100 * correct / total
    fabric.print(f"Test Accuracy: {accuracy:.2f}%")
    return accuracy


torch.manual_seed(42)
nn_deep = DeepNN(num_classes=4).to(device)
train(nn_deep, train_loader, epochs=2, learning_rate=0.001, device=device)
test_accuracy_deep = test(nn_deep, test_loader, device)

torch.manual_seed(42)
nn_light = LightNN(num_classes=4).to(device)
train(nn_light, train_loader, epochs=2, learning_rate=0.001, device=device)
test_accuracy_light_ce = test(nn_light, test_loader, device)
fabric.print(f"Teacher accuracy: {test_accuracy_deep:.2f}%")
fabric.print(f"Student accuracy: {test_accuracy_light_ce:.2f}%")

torch.manual_seed(42)
new_nn_light = LightNN(num_classes=4).to(device)
train_knowledge_distillation(teacher=nn_deep, student=new_nn_light, train_loader=train_loader, epochs=2, learning_rate=0.001, T=2, soft_target_loss_weight=0.25, ce_loss_weight=0.75, device=device)
test_accuracy_light_ce_and_kd = test(new_nn_light, test_loader, device)
fabric.print(f"Student accuracy with CE + KD: {test_accuracy_light_ce_and_kd:.2f}%")
