"""Rule behaviour that a before/after file cannot state on its own: where a rewrite must *not* reach, which
report lines a rewrite maps back, and the forms one rule accepts. The per-rule before/after cases are files
(test_rule_cases.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.upgrade import upgrade_source

HEAD = """\
import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
"""
STEP = """\
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
"""


def loop(extra: str = "", step: str = STEP, after: str = "") -> str:
    """A flat training script: `extra` goes at the end of the batch loop, `after` after the epoch loop."""
    return HEAD + "for epoch in range(2):\n    for x, y in loader:\n" + step + textwrap.indent(extra, " " * 8) + after


LIGHTNING = "import pytorch_lightning as pl\n"
CASES = Path(__file__).parent / "rules" / "convert"


def run_each(tmp_path: Path, sources: dict[str, str]) -> dict[str, Path]:
    """Each source run to the end as `case.py` in a directory of its own, torch seeded with 0: name -> directory
    (what it wrote is there; its stdout in `stdout.txt`)."""
    runs = {}
    for name, source in sources.items():
        run = runs[name] = tmp_path / name
        run.mkdir()
        (run / "case.py").write_text(source)
        seeded = "import runpy, torch; torch.manual_seed(0); runpy.run_path('case.py', run_name='__main__')"
        done = subprocess.run([sys.executable, "-c", seeded], cwd=run, check=True, capture_output=True, text=True, timeout=300)
        (run / "stdout.txt").write_text(done.stdout)
    return runs


def case_sources(case: Path) -> dict[str, str]:
    """A rule case's input and expected output: {"in": ..., "out": ...}."""
    return {side: Path(f"{case}.{side}.py").read_text() for side in ("in", "out")}


def test_resume_from_checkpoint_goes_only_to_the_fit_calls_of_that_trainer():
    """Another function's `trainer` is another object: its fit call is left alone."""
    source = LIGHTNING + textwrap.dedent("""\
        def resume(model):
            trainer = pl.Trainer(resume_from_checkpoint="last.ckpt")
            trainer.fit(model)

        def fresh(model, make):
            trainer = make()
            trainer.fit(model)
        """)
    output, report = upgrade_source(source, "case.py")
    assert output.count('ckpt_path="last.ckpt"') == 1
    assert "    trainer.fit(model, ckpt_path=" in output.split("def fresh")[0]


def test_a_class_on_an_imported_base_is_upgraded_when_it_defines_lightning_hooks():
    """`class Finetuner(BaseModel)` with BaseModel from another module: never "already 2.x" while it holds 1.x API."""
    source = LIGHTNING + "from models.base import BaseModel\n\n\n" + textwrap.dedent("""\
        class Finetuner(BaseModel):
            def training_step(self, batch, batch_idx, optimizer_idx):
                return self.losses[optimizer_idx](batch)
        """)
    output, report = upgrade_source(source, "case.py")
    assert report.status != "already 2.x"
    assert "T2L954" in {f.code for f in report.findings} and "# TODO(t2l): T2L954" in output


MANUAL_SGD = HEAD.replace("optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n", "lr = 0.1\n") + """\
for epoch in range(2):
    for x, y in loader:
        model.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        for p in model.parameters():
            {update}
    lr *= 0.5
"""


@pytest.mark.parametrize("update", ["p.data.add_(p.grad, alpha=-lr)", "p.data.add_(-lr, p.grad)", "p.data -= lr * p.grad"])
def test_manual_sgd_forms_become_sgd_with_the_rate_synced(update):
    output, report = convert_source(MANUAL_SGD.format(update=update), "case.py")
    assert {"T2L131", "T2L118"} <= {f.code for f in report.findings} and not report.todos
    sgd = "torch.optim.SGD" if "alpha" in update or "-lr," in update else "SGDAsWritten"  # the product rounded first
    assert f"{sgd}(self.model.parameters(), lr=self.lr)" in output
    assert 'self.lr *= 0.5; self.optimizers().param_groups[0]["lr"] = self.lr' in output
    lines = {f.code: f.line for f in report.findings}
    assert lines["T2L131"] == 12 and lines["T2L124"] == 14  # the input's lines (the rewrite added one above)


@pytest.mark.parametrize("update", ["p.data.add_(p.grad, alpha=-lr)", "p.data -= lr * p.grad", "p.data.add_(-lr * p.grad)",
                                    "p.data.sub_(lr * p.grad)"])
def test_manual_sgd_that_rounds_the_product_first_steps_as_the_script_did(update):
    """SGD's step is add_(grad, alpha=-lr), one rounding; `p -= lr * p.grad` rounds the product first, and about one
    weight in ten differs in its last bit (the control: SGD's step against the update by hand). Those forms get
    SGDAsWritten, whose step is the script's update, bitwise."""
    output, report = convert_source(MANUAL_SGD.format(update=update), "case.py")
    fused = "alpha" in update
    assert ("SGDAsWritten" in output) is not fused
    assert ("SGDAsWritten" in next(f.message for f in report.findings if f.code == "T2L131")) is not fused
    torch = pytest.importorskip("torch")
    generator = torch.Generator().manual_seed(0)
    weights, grad = torch.randn(10_000, generator=generator), torch.randn(10_000, generator=generator)
    by_hand = weights.clone()
    if fused:
        by_hand.add_(grad, alpha=-0.1)
    else:
        by_hand -= 0.1 * grad
    stepped = {}
    for name, optimizer in (("SGD", torch.optim.SGD), ("SGDAsWritten", _class_in(output, "SGDAsWritten"))):
        if optimizer is not None:
            parameter = torch.nn.Parameter(weights.clone())
            parameter.grad = grad.clone()
            optimizer([parameter], lr=0.1).step()
            stepped[name] = torch.equal(parameter.detach(), by_hand)
    assert stepped["SGD"] is fused
    assert stepped.get("SGDAsWritten", True)


def _class_in(source: str, name: str):
    """The class `name` the output defines, built by running its definition alone (None when there is none)."""
    import ast

    import torch

    tree = ast.parse(source)
    found = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name]
    if not found:
        return None
    namespace = {"torch": torch}
    exec(compile(ast.Module(body=found, type_ignores=[]), "<output>", "exec"), namespace)
    return namespace[name]


def test_manual_update_it_cannot_follow_stays_a_todo():
    """A learning rate that is a parameter of the train function: the T2L903 TODO stands, nothing rewritten."""
    source = HEAD + """\
def train(lr):
    for x, y in loader:
        model.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)


train(0.1)
"""
    output, report = convert_source(source, "case.py")
    assert [f.code for f in report.todos] == ["T2L903"] and "optimizer.step()" not in output


def test_a_removed_trainer_flag_read_from_the_namespace_is_marked():
    """`args.gpus` after Trainer.add_argparse_args is gone would be an AttributeError: each read is marked."""
    source = textwrap.dedent("""\
        from argparse import ArgumentParser

        import pytorch_lightning as pl

        parser = ArgumentParser()
        parser = pl.Trainer.add_argparse_args(parser)
        args = parser.parse_args()
        if args.gpus:
            print(args.gpus)
        """)
    output, report = upgrade_source(source, "case.py")
    assert [f.line for f in report.findings if f.code == "T2L958"] == [8, 9]
    assert output.count("# TODO(t2l): T2L958 `args.gpus`") == 2



def test_code_that_still_uses_the_moved_optimizer_is_marked():
    """A line before the loop that loads into the optimizer a state read from the optimizer itself: `optimizer`
    moves into configure_optimizers, so the state cannot be kept for on_fit_start (T2L152, resume code) and the
    line would meet an undefined name; it is marked, not left to fail at run time."""
    source = loop().replace("for epoch in range(2):", "optimizer.load_state_dict(optimizer.state_dict())\nfor epoch in range(2):")
    output, report = convert_source(source, "case.py")
    marked = [f for f in report.todos if f.code == "T2L909"]
    assert [f.line for f in marked] == [7] and "`optimizer`, which configure_optimizers now builds" in marked[0].message
    assert "# TODO(t2l): T2L909 uses `optimizer`" in output


def test_accumulation_whose_step_condition_reads_the_forward_is_not_wrapped():
    """no_backward_sync needs the `if` known before the forward: a condition on the loss is not, so nothing changes."""
    from converter.fabric import convert_to_fabric

    source = textwrap.dedent("""\
        import torch

        model = torch.nn.Linear(4, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        total = 0.0
        for i in range(8):
            loss = model(torch.randn(8, 4)).pow(2).mean()
            loss.backward()
            total += loss.item()
            if total > 1.0:
                optimizer.step()
                optimizer.zero_grad()
                total = 0.0
        """)
    output, report = convert_to_fabric(source)
    assert "no_backward_sync" not in output and "T2L317" not in {f.code for f in report.findings}
    every_batch = source.replace("if total > 1.0:", "if (i + 1) % 2 == 0:")
    output, _ = convert_to_fabric(every_batch)
    assert "with fabric.no_backward_sync(model, enabled=(i + 1) % 2 != 0):" in output  # the control: it would wrap


FETCH = """\
data = torch.randn(64, 4)


def get_batch():
    index = torch.randint(0, 60, (4,))
    return data[index], data[index, :1]


"""
COUNTED = """\
it = 0
while True:
    x, y = get_batch()
{step}{extra}    it += 1
    if it > 5:
        break
{after}"""


@pytest.mark.parametrize("extra, after", [
    ("", "print(it)\n"),  # read after the loop: a range would leave it one short
    ("    if loss.item() > 9:\n        continue\n", ""),  # skips its increment: not every value runs the body
    ("    it += 1\n", ""),  # counted twice a pass
    ("    def report():\n        print(it)\n    report()\n", ""),  # read as a global by a function: the parameter of training_step would not reach it
], ids=["read-after", "continue", "counted-twice", "global-read"])  # fmt: skip
def test_a_counted_while_loop_is_made_a_range_only_when_every_value_runs(extra, after):
    """The counted-loop rewrite (T2L137) applies only where `for it in range(...)` runs the same values: otherwise
    the step loop stays declined (T2L910) and nothing but its mark changes."""
    step = STEP.replace("        ", "    ")
    source = HEAD + FETCH + COUNTED.format(step=step, extra=extra, after=after)
    output, report = convert_source(source, "case.py")
    assert [f.code for f in report.todos] == ["T2L910"]
    assert "T2L137" not in {f.code for f in report.findings} and "range(" not in output
    converted, ok = convert_source(HEAD + FETCH + COUNTED.format(step=step, extra="", after=""), "case.py")
    assert "T2L137" in {f.code for f in ok.findings} and "range(6)" in converted  # the control converts


def test_a_counted_while_loop_with_another_break_is_made_a_range_and_the_break_stops_the_trainer():
    """Another `break` ends the `for` where it ended the `while` (only a `continue` skips the increment): T2L137
    applies, and the break is Lightning's stop after this batch's step (T2L148)."""
    step = STEP.replace("        ", "    ")
    extra = "    if loss.item() > 9:\n        break\n"
    output, report = convert_source(HEAD + FETCH + COUNTED.format(step=step, extra=extra, after=""), "case.py")
    assert {"T2L137", "T2L148"} <= {f.code for f in report.findings} and not report.todos
    assert "range(6)" in output and "self.trainer.should_stop = True" in output


def test_a_block_after_the_step_that_reads_a_running_total_is_left_to_the_rules_that_log_it():
    """`running_loss += loss.item()` becomes a logged epoch sum; a print of it every N batches that also runs the
    model must not move to on_train_batch_end, where the total would read 0 (it did before this test)."""
    extra = """\
running_loss += loss.item()
if i % 2 == 1:
    print(running_loss / 2, model(x).sum().item())
    running_loss = 0.0
"""
    source = HEAD + "for epoch in range(2):\n    running_loss = 0.0\n    for i, (x, y) in enumerate(loader):\n" + STEP + textwrap.indent(extra, " " * 8)
    output, report = convert_source(source, "case.py")
    codes = {f.code for f in report.findings}
    assert "T2L121" in codes and not codes & {"T2L138", "T2L923"} and "on_train_batch_end" not in output
    moved, moved_report = convert_source(source.replace("running_loss / 2, ", ""), "case.py")  # the control
    assert "T2L138" in {f.code for f in moved_report.findings} and "def on_train_batch_end" in moved


def test_a_range_step_loop_whose_variable_a_function_reads_as_a_global_is_declined():
    """`def log(): print(it)` reads the loop's `it` as a global: converted, `it` would be training_step's parameter
    and the global would keep its last value before fit. Declined (T2L910) with what to do; the control converts."""
    loop_source = "for it in range(6):\n    x, y = get_batch()\n" + STEP.replace("        ", "    ")
    logger = "def log():\n    print(it)\n\n\n"
    output, report = convert_source(HEAD + FETCH + logger + loop_source + "    log()\n", "case.py")
    assert [f.code for f in report.todos] == ["T2L910"] and "log()" in report.todos[0].message
    _, control = convert_source(HEAD + FETCH + loop_source, "case.py")
    assert "T2L130" in {f.code for f in control.findings} and not control.todos


SPAWNED = '''
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP


def main(rank, world_size):
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    ddp = DDP(model)
    for _ in range(3):
        optimizer.zero_grad()
        ddp(torch.randn(8, 4)).sum().backward()
        optimizer.step()


mp.spawn(main, args=(2,), nprocs=2, join=True)
'''


@pytest.mark.parametrize("change", ["", "join=True", "join=False", "args=(2,), nprocs=2, join=True"])
def test_processes_fabric_cannot_launch_as_started_stay_marked(change):
    """`mp.spawn(..., join=False)` goes on while the processes train (Fabric's launch waits): kept, every piece
    marked (T2L942), nothing removed. Control: as written (join=True) the processes become Fabric's."""
    from converter.fabric import convert_to_fabric

    source = SPAWNED.replace("args=(2,), nprocs=2, join=True", change or "args=(2,), nprocs=2, join=True")
    output, report = convert_to_fabric(source)
    codes = {f.code for f in report.findings}
    if change == "join=False":
        assert "T2L318" not in codes and "T2L942" in codes
        assert "mp.spawn(main, join=False)" in output and "init_process_group" in output
    else:
        assert "T2L318" in codes and "init_process_group" not in output and "mp.spawn" not in output


def test_a_ddp_wrapper_around_a_model_fabric_does_not_set_up_stays():
    """The optimizer is over `model`, the wrapper is `ddp`: Fabric sets up `model`, so `DDP(model)` goes (wrapping
    the set-up model). A wrapper around a model nothing sets up (`other`) stays and is marked: without it nothing
    would average that model's gradients."""
    from converter.fabric import convert_to_fabric

    output, report = convert_to_fabric(SPAWNED.replace("ddp = DDP(model)", "ddp = DDP(model)\n    aux = DDP(other)"))
    assert "ddp = model" in output and "aux = DDP(other)" in output
    marked = [f for f in report.findings if f.code == "T2L942"]
    assert [f.line for f in marked] == [SPAWNED.replace("ddp = DDP(model)", "ddp = DDP(model)\n    aux = DDP(other)")
                                        .splitlines().index("    aux = DDP(other)") + 1]


def test_a_spawned_function_also_called_by_hand_keeps_its_rank():
    """`main(0, 1)` in a debug branch would get the Fabric object as its rank if `main` took it first: the launch
    stays as written, marked. Control: torchrun's own `init_method="env://"` is still a group Fabric can make."""
    from converter.fabric import convert_to_fabric

    debug = SPAWNED.replace("mp.spawn(main, args=(2,), nprocs=2, join=True)",
                            "if DEBUG:\n    main(0, 1)\nelse:\n    mp.spawn(main, args=(2,), nprocs=2, join=True)")
    output, report = convert_to_fabric(debug)
    assert "def main(rank, world_size):" in output and "T2L318" not in {f.code for f in report.findings}
    torchrun = SPAWNED.replace('"gloo", rank=rank, world_size=world_size', '"gloo", init_method="env://"').replace(
        "mp.spawn(main, args=(2,), nprocs=2, join=True)", "main(0, 1)")
    output, report = convert_to_fabric(torchrun)
    assert "T2L322" in {f.code for f in report.findings} and "init_process_group" not in output


def test_the_undefined_name_net_marks_only_what_the_conversion_lost():
    """T2L925 marks a read of a name nothing defines where it runs, after the rules: the `out` a batch loop in a
    function leaves, which a skipped batch would not (so training_step does not keep it), passed to the module. A name the input itself defines in a way the symbol table cannot see
    (`globals()[...]`) is not the conversion's doing, and is left alone; so is a name a TODO of the same scope
    already explains (`row`, an inner loop's variable; the last batch's `loss` is kept on the module, and so is `big`,
    set by some batches only, where they set it)."""
    lost = HEAD + "for epoch in range(2):\n    for x, y in loader:\n" + STEP + (
        "        for row in x:\n            pass\nprint(row, loss.item())\n")
    output, report = convert_source(lost)
    assert "T2L925" not in {f.code for f in report.findings}  # T2L909 explains it, in the same (module) scope
    assert "# TODO(t2l): T2L909 reads `row`" in output and "print(row, lit_model.loss.item())" in output
    kept = lost.replace("for row in x:\n            pass\nprint(row,", "if loss.item() > 0.5:\n            big = loss.item()\nprint(big,")
    output, report = convert_source(kept)
    assert {"T2L925", "T2L909"}.isdisjoint(f.code for f in report.findings)
    assert "print(lit_model.big, lit_model.loss.item())" in output
    in_a_function = textwrap.dedent("""\
        import torch


        def main():
            model = torch.nn.Linear(4, 4)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            outputs = []
            for epoch in range(2):
                for x in torch.randn(2, 8, 4):
                    out = model(x)
                    loss = out.pow(2).mean()
                    if torch.isfinite(loss):
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                outputs.append(out.detach())


        main()
        """)
    output, report = convert_source(in_a_function)  # a skipped batch leaves no `out`: it is not kept on the module
    marked = [f for f in report.findings if f.code == "T2L925"]
    assert [f.message.split("`")[1] for f in marked] == ["out"]
    assert "    # TODO(t2l): T2L925 `out` is read here" in output
    from_globals = in_a_function.replace("outputs.append(out.detach())", "outputs.append(helper(out))")
    from_globals = from_globals.replace("def main():", 'globals()["helper"] = float\n\n\ndef main():')
    output, report = convert_source(from_globals)
    assert [f.message.split("`")[1] for f in report.findings if f.code == "T2L925"] == ["out"]  # not `helper`


def test_gradients_zeroed_by_hand_each_batch_need_no_zero_grad_hook():
    """T2L143 takes a loop without zero_grad for one that lets gradients add up; `p.grad = None` (or
    `p.grad.zero_()`) in the batch loop zeroes them as Lightning does, so no optimizer_zero_grad is written.
    Control: without it, the hook that never zeroes is."""
    by_hand = "        for p in model.parameters():\n            p.grad = None\n"
    for zeroing, hooked in ((by_hand, False), ("", True)):
        step = zeroing + STEP.replace("        optimizer.zero_grad()\n", "")
        output, report = convert_source(HEAD + "for epoch in range(2):\n    for x, y in loader:\n" + step)
        assert ("def optimizer_zero_grad(" in output) is hooked
        assert ("T2L143" in {f.code for f in report.findings}) is hooked


def test_a_model_that_trains_itself_is_declined_saying_so():
    """A Keras-like `fit` method on the nn.Module: the class is the model, not a trainer class to flatten; the
    decline names the base class and the way out, rather than a list of every shape flattening refuses."""
    source = textwrap.dedent("""\
        import torch
        from torch import nn
        from torch.utils.data import DataLoader, TensorDataset


        class Regressor(nn.Module):
            def __init__(self):
                super().__init__()
                self.linear = nn.Linear(4, 1)

            def forward(self, x):
                return self.linear(x)

            def fit(self, loader, epochs):
                optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
                for epoch in range(epochs):
                    for x, y in loader:
                        optimizer.zero_grad()
                        loss = nn.functional.mse_loss(self(x), y)
                        loss.backward()
                        optimizer.step()


        Regressor().fit(DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), 2)
        """)
    output, report = convert_source(source)
    assert report.status == "declined" and [f.code for f in report.todos] == ["T2L908"]
    assert "Regressor has the base class `nn.Module`, a model that trains itself" in report.todos[0].message
    assert "TODO(t2l): T2L908" in output


def test_the_ctrl_c_fact_t2l929_relies_on(tmp_path):
    """T2L929 says Lightning catches Ctrl+C in fit, shuts down and exits with status 1, so the script's own `except
    KeyboardInterrupt` and what follows never run. A fit that receives SIGINT in its third step shows it; the same
    plain loop, the control, reaches its handler and goes on. When this starts failing, T2L929 is wrong."""
    common = textwrap.dedent("""\
        import os, signal
        import torch
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a parent's SIG_IGN (Lightning sets it) is inherited
        model = torch.nn.Linear(2, 1)
        def interrupt_at(step):
            if step == 2:
                os.kill(os.getpid(), signal.SIGINT)
        """)
    lightning = common + textwrap.dedent("""\
        import pytorch_lightning as pl
        class Lit(pl.LightningModule):
            def __init__(self):
                super().__init__()
                self.model = model
            def training_step(self, batch, batch_idx):
                interrupt_at(batch_idx)
                return self.model(batch).sum()
            def configure_optimizers(self):
                return torch.optim.SGD(self.parameters(), lr=0.1)
        try:
            pl.Trainer(max_epochs=1, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                       enable_model_summary=False).fit(Lit(), torch.utils.data.DataLoader(torch.randn(8, 2)))
        except KeyboardInterrupt:
            print("handled")
        print("after")
        """)
    plain = common + textwrap.dedent("""\
        try:
            for step, batch in enumerate(torch.randn(8, 1, 2)):
                interrupt_at(step)
                model(batch).sum().backward()
        except KeyboardInterrupt:
            print("handled")
        print("after")
        """)
    runs = {}
    for name, source in (("lightning", lightning), ("plain", plain)):
        (tmp_path / f"{name}.py").write_text(source)
        runs[name] = subprocess.run([sys.executable, f"{name}.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert runs["lightning"].returncode == 1 and "handled" not in runs["lightning"].stdout
    assert "after" not in runs["lightning"].stdout
    assert runs["plain"].returncode == 0 and runs["plain"].stdout.split() == ["handled", "after"]


def test_an_optimizer_saved_after_fit_is_the_one_that_trained(tmp_path):
    """T2L145: after fit, the optimizer and scheduler are read from the Trainer. The checkpoint the converted case
    saves holds the same momentum buffers and scheduler state, bit for bit, as the original's (the optimizer object
    built beside the loop never steps: its state would be empty)."""
    import torch

    runs = run_each(tmp_path, case_sources(CASES / "loop_variables" / "optimizer_state_saved_after_training"))
    original, converted = (torch.load(runs[side] / "checkpoint.pt") for side in ("in", "out"))
    assert original["scheduler"] == converted["scheduler"] and original["scheduler"]["last_epoch"] == 2
    buffers = [(original["optimizer"]["state"][i]["momentum_buffer"], converted["optimizer"]["state"][i]["momentum_buffer"])
               for i in original["optimizer"]["state"]]  # fmt: skip
    assert buffers and all(torch.equal(a, b) for a, b in buffers)


def test_no_script_variable_becomes_an_attribute_that_replaces_a_lightning_hook():
    """A variable the hooks read becomes `self.<name>`: named like a hook or method Lightning calls by name
    (`train_dataloader`, `setup`, `print`), it would replace that method on the module. Checked against the
    installed LightningModule, not a copied list."""
    import inspect

    import pytorch_lightning as pl

    from converter.convert.attributes import RESERVED

    called_by_name = {
        name for name, value in inspect.getmembers(pl.LightningModule)
        if callable(value) and not name.startswith(("_", "on_"))
        and (name.endswith(("_dataloader", "_step")) or name.startswith("configure_")
             or name in {"setup", "teardown", "prepare_data", "backward", "manual_backward", "print", "log", "log_dict"})
    }  # fmt: skip
    assert called_by_name and called_by_name <= RESERVED, sorted(called_by_name - RESERVED)
    source = loop()
    source = source.replace("for x, y in loader", "for x, y in train_dataloader").replace("loader = ", "train_dataloader = ")
    output, _ = convert_source(source.replace("model(x)", "model(x) * len(train_dataloader)"), "train.py")
    assert "self.train_dataloader_" in output and "self.train_dataloader " not in output


def test_scalars_a_summary_writer_wrote_are_in_its_directory_after_the_conversion(tmp_path):
    """T2L113: `writer.add_scalar` becomes `self.log`, and the Trainer logs to the writer's own directory as often as
    the loop wrote: TensorBoard's event files under runs/regression hold the same `loss/train` values, step by step,
    for the original and the converted case (read with TensorBoard's own reader)."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    sources = case_sources(CASES / "metric_logging" / "writer_directory_kept_for_the_logger")
    logger = ', log_every_n_steps=1, logger=pl.loggers.TensorBoardLogger(writer.log_dir, name="", version="")'
    sources["control"] = sources["out"].replace(logger, "")
    assert sources["control"] != sources["out"]
    written = {}
    for side, run in run_each(tmp_path, sources).items():
        events = EventAccumulator(str(run / "runs" / "regression")).Reload()
        written[side] = [e.value for e in events.Scalars("loss/train")] if "loss/train" in events.Tags()["scalars"] else []
    assert len(written["in"]) == 8 and written["out"] == written["in"]
    assert written["control"] == []  # Lightning's default logger: lightning_logs/, one line in 50 steps


def test_validation_runs_only_where_the_script_ran_it(tmp_path):
    """T2L116: the Trainer gets num_sanity_val_steps=0. The case appends each validation batch's loss to a list: the
    converted case ends with the original's 6 entries; its control (Lightning's default sanity check) with 8."""
    sources = case_sources(CASES / "evaluation" / "validation_batches_appended_to_a_run_list")
    sources["control"] = sources["out"].replace("num_sanity_val_steps=0", "num_sanity_val_steps=2")
    assert sources["control"] != sources["out"]
    printed = {side: [line for line in (run / "stdout.txt").read_text().splitlines() if line.startswith("validation batches")]
               for side, run in run_each(tmp_path, sources).items()}  # fmt: skip
    assert printed["in"] == printed["out"] == ["validation batches seen: 6"]
    assert printed["control"] == ["validation batches seen: 8"]
