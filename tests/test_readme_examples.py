"""Every `t2l ...` line of the README's bash blocks runs as written, each in a fresh temporary directory.

The lines are read from README.md itself, so an example added there is run here (or must be declared below:
the one that downloads). Inputs a line names as the user's own (`train.py`, `scripts/`, `src/`) are put in
the directory first: a plain training script for `t2l convert`, a Lightning 1.x script for `t2l upgrade`.
Lines that take more than a few seconds are `slow` (`python -m pytest -q -m slow tests/test_readme_examples.py`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "converter" / "fixtures"
UPGRADE_FIXTURES = ROOT / "tests" / "converter" / "upgrade_fixtures"

NEEDS_NETWORK = {"t2l check mnist_mlp --data full": "downloads full MNIST"}
# what follows `&&` on a line and is not t2l: started by the user, not by a test
NOT_RUN = {"tensorboard --logdir tb": "a server that runs until stopped"}
SLOW = {  # each takes from 10 s to several minutes on 2 cores (`t2l check mnist_mlp` itself stays in)
    "t2l check mnist_mlp --epochs 2 --max-steps 100 --seed 7 --threads 2",
    "t2l check mnist_mlp --json out.json",
    "t2l check mnist_mlp --plot curves.png",
    "t2l check mnist_mlp --logdir tb && tensorboard --logdir tb",
    "t2l check --all",
    "t2l check mnist_mlp --repeat 3",
    't2l translate "i am cold ."',
    "t2l check mnist_mlp --devices 2 --json ddp.json",
    "t2l check gan --resume-test",
    "t2l check seq2seq --precision bf16-mixed",
    "t2l convert train.py --verify --steps 20 -- --epochs 1",
    "t2l tutorials run 1",
    "t2l tutorials run 1 --keep lesson1/",
    "t2l tutorials run 2",
    "t2l check gan --sides plain,fabric",
    "t2l tutorials export --execute --out nb",
    "t2l site serve",
}
# run by .ci/run itself, as written, so that what they make stays in the checkout as CI's artefacts (site/)
RUN_BY_CI = {"t2l site build && t2l site check": "the site and its screenshots, kept in site/"}
RUN_BEFORE = {'t2l translate "i am cold ."': "t2l check seq2seq",  # as the README's comment on the line says
              "t2l site serve": "t2l site build --quick --only mnist_mlp"}  # a small site is enough to serve
SERVERS = {"t2l site serve": "http://127.0.0.1:8000/"}  # run until stopped: started, asked for a page, stopped
NO_GPU = not torch.cuda.is_available()
EXIT = {  # the documented exit code, where it is not 0
    "t2l check --all --accelerator gpu": 2 if NO_GPU else 0,  # bad usage on a machine without a CUDA GPU
    "t2l convert scripts/": 8,  # one of the scripts put there (RL episodes) is declined, marked with why
}


def readme_examples() -> list[str]:
    """The `t2l` lines of the README's bash blocks, each without its comment."""
    text = (ROOT / "README.md").read_text()
    found = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command.startswith("t2l "):
                found.append(command)
    return found


EXAMPLES = readme_examples()


def _inputs(command: str, directory: Path) -> None:
    """The user's own files the example names."""
    if command.startswith("t2l convert"):
        shutil.copy(FIXTURES / "mnist_functions.in.py", directory / "train.py")
        shutil.copy(FIXTURES.parent / "notebooks" / "classifier_tutorial.ipynb", directory / "notebook.ipynb")
        shutil.copytree(FIXTURES.parent / "projects" / "engine_functions", directory / "project")
        (directory / "scripts").mkdir()
        for name in ("mnist_functions", "grad_accumulation", "unsupported_rl_episodes"):
            shutil.copy(FIXTURES / f"{name}.in.py", directory / "scripts" / f"{name}.py")
    elif command.startswith("t2l upgrade"):
        shutil.copy(UPGRADE_FIXTURES / "legacy_gan_script.in.py", directory / "train.py")
        (directory / "src").mkdir()
        for name in ("trainer_devices", "epoch_end_hooks", "already_2x"):
            shutil.copy(UPGRADE_FIXTURES / f"{name}.in.py", directory / "src" / f"{name}.py")


def _params() -> list:
    return [pytest.param(c, marks=[pytest.mark.slow] if c in SLOW else [], id=c) for c in EXAMPLES]


def test_the_readme_has_examples_and_every_declared_line_is_still_there():
    assert len(EXAMPLES) >= 25
    for declared in (*NEEDS_NETWORK, *SLOW, *RUN_BEFORE, *EXIT, *RUN_BY_CI):  # a stale entry would mislead
        assert declared in EXAMPLES, f"{declared!r} is declared here but no longer in the README"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    for command in RUN_BY_CI:
        assert command in ci, f"{command!r} is declared as run by .ci/run, which does not run it as written"


@pytest.mark.parametrize("command", _params())
def test_readme_example_runs_as_written(command, tmp_path):
    if command in NEEDS_NETWORK:
        pytest.skip(f"{NEEDS_NETWORK[command]}: CI has no network")
    if command in RUN_BY_CI:
        pytest.skip(f".ci/run runs it as written: {RUN_BY_CI[command]}")
    parts = command.split(" && ")
    assert all(p.startswith("t2l ") or p in NOT_RUN for p in parts), f"{command}: declare what is not t2l"
    env = {**os.environ, "MPLBACKEND": "Agg", "COLUMNS": "120"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    _inputs(command, tmp_path)
    for part in [RUN_BEFORE[command]] if command in RUN_BEFORE else []:
        subprocess.run(part, shell=True, cwd=tmp_path, env=env, check=True, capture_output=True, timeout=900)
    if command in SERVERS:
        _serves(command, SERVERS[command], tmp_path, env)
        return
    for part in (p for p in parts if p not in NOT_RUN):
        result = subprocess.run(part, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        said = result.stdout + result.stderr
        assert "Traceback" not in said, said[-3000:]
        assert result.returncode == EXIT.get(command, 0), f"{part}: exit {result.returncode}\n{said[-3000:]}"


def _serves(command: str, url: str, cwd: Path, env: dict) -> None:
    """Start the server as written, wait until it answers with the site's index page, stop it."""
    server = subprocess.Popen(command, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200 and b"torch2lightning" in response.read()
                    return
            except OSError:
                assert server.poll() is None, server.communicate()[0][-3000:]
                assert time.monotonic() < deadline, f"{command}: nothing answered at {url} within 60 s"
                time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # fail, but leave no server holding the port for the next run
            os.killpg(server.pid, signal.SIGKILL)
            raise AssertionError(f"{command}: still running 30 s after Ctrl-C (SIGINT)") from None
