"""A `with` around the backward (or another line the conversion takes out of the step): `with
torch.autograd.detect_anomaly():` -> `Trainer(detect_anomaly=True)` (T2L166); any other context left holding nothing
is kept, marked (T2L933).

    for x, y in loader:                                 def training_step(self, batch, batch_idx):
        loss = criterion(model(x), y)                       x, y = batch
        optimizer.zero_grad()                 ->           loss = criterion(self.model(x), y)
        with torch.autograd.detect_anomaly():               return loss
            loss.backward()                             ...
        optimizer.step()                                pl.Trainer(..., detect_anomaly=True)

Lightning calls backward after training_step returns, so a `with` left in the hook would hold nothing (it was left
as `with ...: pass`, and the backward ran without the check the script asked for). The Trainer's flag runs the fit
under `torch.autograd.set_detect_anomaly(True)`: the backward is checked again (the forward is recorded too, which
is slower, not different). Anomaly mode changes no value: the losses stay bitwise equal.

Any other `with` whose lines all went (`with timed("backward", log): loss.backward()`, `with open(path, "a") as f:
print(loss.item(), file=f)`) would enter and leave its context around nothing: kept as written, with a TODO saying
that what it wrapped now runs elsewhere (Lightning's backward, the logger), so that the change is not silent.
"""

from __future__ import annotations

import libcst as cst

from converter.marks import kept

CODES = {
    "T2L166": "`with torch.autograd.detect_anomaly():` in the training step -> Trainer(detect_anomaly=True)",
    "T2L933": "a `with` whose lines the conversion took out (the backward Lightning calls, a removed print) kept, "
              "marked: its context no longer wraps them",
}
ANOMALY = {"torch.autograd.detect_anomaly", "torch.autograd.anomaly_mode.detect_anomaly",
           "torch.autograd.set_detect_anomaly", "torch.autograd.anomaly_mode.set_detect_anomaly"}  # fmt: skip


def on_with_item(step, with_node, call, name) -> bool:
    if name not in ANOMALY or step.ctx.kind != "train" or not _turned_on(call, name):
        return False
    step.out.detect_anomaly = True
    step.report.add("T2L166", step.at(with_node))
    return True


def on_emptied_with(step, original: cst.With, updated: cst.With):
    return kept(step.report, "T2L933", step.at(original), updated, "this `with` held lines the conversion took out of the step (the backward, which "
                     "Lightning calls after training_step returns; a step or a print): its context no longer wraps "
                     "them; move what it must wrap into the hook that runs it (on_before_backward, on_after_backward, "
                     "on_train_batch_end), or remove it")  # fmt: skip


def _turned_on(call: cst.BaseExpression, name: str) -> bool:
    """`detect_anomaly()` / `detect_anomaly(check_nan=True)`, `set_detect_anomaly(True)`: on (check_nan=False,
    which Lightning's flag does not take, and a mode given by a variable stay as written)."""
    if not isinstance(call, cst.Call):
        return False
    values = [a.value for a in call.args]
    if name.endswith(".set_detect_anomaly"):
        return len(values) == 1 and isinstance(values[0], cst.Name) and values[0].value == "True"
    return all(isinstance(v, cst.Name) and v.value == "True" for v in values)


def trainer_argument(conv, out) -> None:
    if out.detect_anomaly:
        conv.trainer_args["detect_anomaly"] = "True"
