"""`--verify` and a script that trains in processes it forks (hogwild: `mp.Process` under the fork start method).

A forked process inherits the first process's recorder, but not a file of its own nor an exit that writes it: its
losses were lost, and the run said "the original script called no backward()", which was untrue. It now leaves a
sign, and the run says where the training went. A forked process that trains no model (a DataLoader worker) leaves
none.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from converter._verify_record import forked_sign
from converter.verify import SideRun, Verification

FORKS = """
import multiprocessing as mp, sys, torch
from converter._verify_record import Recorder

def train(backward):
    loss = torch.nn.Linear(2, 1)(torch.ones(1, 2)).sum()
    if backward:
        loss.backward()

recorder = Recorder(sys.argv[1], steps=100)
recorder.install()
child = mp.get_context("fork").Process(target=train, args=(sys.argv[2] == "train",))
child.start()
child.join()
assert child.exitcode == 0 and recorder.losses == []
"""


def _run(tmp_path: Path, what: str) -> Path:
    out = tmp_path / what / "record.json"
    out.parent.mkdir()
    subprocess.run([sys.executable, "-c", FORKS, str(out), what], check=True, cwd=Path(__file__).parents[2])
    return out


def test_a_forked_process_that_calls_backward_leaves_a_sign(tmp_path):
    assert Path(forked_sign(str(_run(tmp_path, "train")))).exists()
    assert not Path(forked_sign(str(_run(tmp_path, "forward-only")))).exists()  # control: a worker that trains nothing


def test_the_run_says_the_training_went_to_forked_processes():
    def verification(forked: bool) -> Verification:
        original = SideRun([], 0, None, "", forked_backward=forked)
        return Verification(original, SideRun([], 0, None, ""), steps=100)

    assert "processes it forked" in verification(True).failed
    assert verification(False).failed == "the original script called no backward(): nothing to compare"
