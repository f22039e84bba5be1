# t2l-fixture: verify --steps 30
"""The older Hugging Face example-script shape: a train() function with a global step counted inside the gradient
accumulation window, and inside that window, every N steps, an evaluation whose results go to TensorBoard and
stdout, and every M steps a checkpoint directory with the model, optimizer and scheduler states."""
import argparse
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class TinyClassifier(nn.Module):
    def __init__(self, features=8, labels=3):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(features, 16), nn.GELU(), nn.Dropout(0.1), nn.Linear(16, labels))

    def forward(self, inputs, labels=None):
        logits = self.body(inputs)
        if labels is None:
            return (logits,)
        return (nn.functional.cross_entropy(logits, labels), logits)


def evaluate(args, model, eval_dataset):
    loader = DataLoader(eval_dataset, batch_size=args.eval_batch_size)
    loader = fabric.setup_dataloaders(loader)
    model.eval()
    eval_loss, steps, correct = 0.0, 0, 0
    for inputs, labels in loader:
        with torch.no_grad():
            loss, logits = model(inputs, labels)
        eval_loss += loss.mean().item()
        steps += 1
        correct += (logits.argmax(-1) == labels).sum().item()
    return {"loss": eval_loss / steps, "acc": correct / len(eval_dataset)}


def train(args, train_dataset, eval_dataset, model):
    tb_writer = SummaryWriter(args.logdir)
    train_dataloader = DataLoader(train_dataset, batch_size=args.train_batch_size, shuffle=True)
    train_dataloader = fabric.setup_dataloaders(train_dataloader)
    t_total = len(train_dataloader) // args.gradient_accumulation_steps * args.num_train_epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate, weight_decay=0.01)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1 - step / t_total))
    global_step = 0
    tr_loss, logging_loss = 0.0, 0.0
    model.zero_grad()
    for _ in range(args.num_train_epochs):
        for step, (inputs, labels) in enumerate(train_dataloader):
            model.train()
            with fabric.no_backward_sync(model, enabled=(step + 1) % args.gradient_accumulation_steps != 0):
                loss = model(inputs, labels)[0]
                if args.gradient_accumulation_steps > 1:
                    loss = loss / args.gradient_accumulation_steps
                fabric.backward(loss)
            tr_loss += loss.item()
            if (step + 1) % args.gradient_accumulation_steps == 0:
                fabric.clip_gradients(model, optimizer, max_norm=args.max_grad_norm, error_if_nonfinite=False)
                optimizer.step()
                scheduler.step()
                model.zero_grad()
                global_step += 1
                if args.logging_steps > 0 and global_step % args.logging_steps == 0:
                    logs = {}
                    results = evaluate(args, model, eval_dataset)
                    for key, value in results.items():
                        logs["eval_" + key] = value
                    logs["learning_rate"] = scheduler.get_last_lr()[0]
                    logs["loss"] = (tr_loss - logging_loss) / args.logging_steps
                    logging_loss = tr_loss
                    for key, value in logs.items():
                        tb_writer.add_scalar(key, value, global_step)
                    fabric.print(json.dumps({**logs, **{"step": global_step}}))
                if args.save_steps > 0 and global_step % args.save_steps == 0:
                    output_dir = os.path.join(args.output_dir, "checkpoint-{}".format(global_step))
                    os.makedirs(output_dir, exist_ok=True)
                    torch.save(model.state_dict(), os.path.join(output_dir, "model.bin"))
                    torch.save(optimizer.state_dict(), os.path.join(output_dir, "optimizer.pt"))
                    torch.save(scheduler.state_dict(), os.path.join(output_dir, "scheduler.pt"))
                    fabric.print("Saving checkpoint to", output_dir)
    tb_writer.close()
    return global_step, tr_loss / global_step


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--train_batch_size", type=int, default=8)
    parser.add_argument("--eval_batch_size", type=int, default=16)
    parser.add_argument("--gradient_accumulation_steps", type=int, default=2)
    parser.add_argument("--num_train_epochs", type=int, default=3)
    parser.add_argument("--learning_rate", type=float, default=5e-3)
    parser.add_argument("--max_grad_norm", type=float, default=1.0)
    parser.add_argument("--logging_steps", type=int, default=2)
    parser.add_argument("--save_steps", type=int, default=3)
    parser.add_argument("--logdir", default="runs")
    parser.add_argument("--output_dir", default="out")
    args = parser.parse_args()
    torch.manual_seed(42)
    features = torch.randn(96, 8)
    labels = (features[:, 0] > 0).long() + (features[:, 1] > 1).long()
    model = TinyClassifier()
    global_step, tr_loss = train(args, TensorDataset(features[:64], labels[:64]), TensorDataset(features[64:], labels[64:]), model)
    fabric.print("global_step =", global_step, "average loss =", round(tr_loss, 6))
