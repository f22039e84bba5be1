import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
teacher = torch.nn.Linear(4, 3)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, teacher):
        super().__init__()
        self.teacher = teacher

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.teacher(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        teacher_optimizer = torch.optim.SGD(self.teacher.parameters(), lr=0.1)
        return teacher_optimizer

    def on_train_epoch_end(self):
        print("teacher", self.current_epoch, self.loss.item())


lit_model = LitModel(teacher=teacher)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)

student = torch.nn.Linear(4, 3)
teacher.eval()


class LitModel2(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 21."""

    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def training_step(self, batch, batch_idx):
        x, y = batch
        with torch.no_grad():
            soft = F.softmax(self.teacher(x) / 2.0, dim=1)
        loss = F.kl_div(F.log_softmax(self.student(x) / 2.0, dim=1), soft, reduction="batchmean")
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        student_optimizer = torch.optim.Adam(self.student.parameters(), lr=0.01)
        return student_optimizer

    def on_train_epoch_end(self):
        print("student", self.current_epoch, self.loss.item())


lit_model2 = LitModel2(student=student, teacher=teacher)
trainer2 = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer2.fit(lit_model2, train_dataloaders=loader)
