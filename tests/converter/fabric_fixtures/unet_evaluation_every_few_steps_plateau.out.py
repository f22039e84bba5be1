# t2l-fixture: verify --steps 16
"""The Pytorch-UNet shape: dict batches, autocast and GradScaler (disabled off CUDA), clipping after unscale_, a tqdm
bar over images, an evaluation every few steps inside the batch loop with ReduceLROnPlateau stepped on its score
(printed with the rate), and a checkpoint each epoch."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm
from lightning_fabric import Fabric

fabric = Fabric(accelerator="auto", devices=1)
fabric.launch()


class Masks(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(2)
        self.images = torch.randn(n, 1, 8, 8, generator=g)
        self.masks = (self.images > 0.3).float()

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return {"image": self.images[i], "mask": self.masks[i]}


def dice_loss(pred, target, eps=1e-6):
    inter = (pred * target).sum(dim=(-1, -2))
    union = pred.sum(dim=(-1, -2)) + target.sum(dim=(-1, -2))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


@torch.inference_mode()
def evaluate(net, dataloader, amp):
    net.eval()
    num_val_batches = len(dataloader)
    dice_score = 0
    # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
    with torch.autocast("cpu", enabled=amp):
        for batch in dataloader:
            image, mask_true = batch["image"], batch["mask"]
            mask_pred = (torch.sigmoid(net(image)) > 0.5).float()
            dice_score += 1 - dice_loss(mask_pred, mask_true)
    net.train()
    return dice_score / max(num_val_batches, 1)


torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
train_set, val_set = Masks(32), Masks(16)
train_loader = DataLoader(train_set, batch_size=4, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(val_set, batch_size=4)
val_loader = fabric.setup_dataloaders(val_loader)
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, weight_decay=1e-8, momentum=0.999)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, "max", patience=1)
amp = False
# TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
grad_scaler = torch.cuda.amp.GradScaler(enabled=amp)
criterion = nn.BCEWithLogitsLoss()
global_step = 0
epochs, batch_size, n_train = 2, 4, len(train_set)
for epoch in range(1, epochs + 1):
    model.train()
    epoch_loss = 0
    with tqdm(total=n_train, desc=f"Epoch {epoch}/{epochs}", unit="img", disable=True) as pbar:
        for batch in train_loader:
            images, true_masks = batch["image"], batch["mask"]
            # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
            with torch.autocast("cpu", enabled=amp):
                masks_pred = model(images)
                loss = criterion(masks_pred, true_masks) + dice_loss(torch.sigmoid(masks_pred), true_masks)
            optimizer.zero_grad(set_to_none=True)
            fabric.backward(grad_scaler.scale(loss))
            grad_scaler.unscale_(optimizer)
            fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
            grad_scaler.step(optimizer)
            grad_scaler.update()
            pbar.update(images.shape[0])
            global_step += 1
            epoch_loss += loss.item()
            pbar.set_postfix(**{"loss (batch)": loss.item()})
            division_step = n_train // (2 * batch_size)
            if division_step > 0:
                if global_step % division_step == 0:
                    val_score = evaluate(model, val_loader, amp)
                    scheduler.step(val_score)
                    fabric.print(f"step {global_step} validation dice {float(val_score):.5f} lr {optimizer.param_groups[0]['lr']}")
    state_dict = model.state_dict()
    torch.save(state_dict, f"checkpoint_epoch{epoch}.pth")
    fabric.print(f"epoch {epoch} loss {epoch_loss:.5f}")
