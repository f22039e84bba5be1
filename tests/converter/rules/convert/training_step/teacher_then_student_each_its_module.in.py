import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
teacher = torch.nn.Linear(4, 3)
teacher_optimizer = torch.optim.SGD(teacher.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in loader:
        teacher_optimizer.zero_grad()
        loss = F.cross_entropy(teacher(x), y)
        loss.backward()
        teacher_optimizer.step()
    print("teacher", epoch, loss.item())

student = torch.nn.Linear(4, 3)
student_optimizer = torch.optim.Adam(student.parameters(), lr=0.01)
teacher.eval()
for epoch in range(2):
    for x, y in loader:
        with torch.no_grad():
            soft = F.softmax(teacher(x) / 2.0, dim=1)
        loss = F.kl_div(F.log_softmax(student(x) / 2.0, dim=1), soft, reduction="batchmean")
        student_optimizer.zero_grad()
        loss.backward()
        student_optimizer.step()
    print("student", epoch, loss.item())
