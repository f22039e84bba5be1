"""A DataLoader the epoch loop builds from the epoch (a curriculum) goes to fit as a BuiltEachEpoch reading
`lit_model.current_epoch` (T2L149), whose length `Trainer(reload_dataloaders_every_n_epochs=1)` asks for each epoch
(without a length Lightning reads a loader a batch ahead: a data set's draws before the step's dropout).

That rests on when Lightning asks for the first batch: after the epoch's count is the epoch's and after
on_train_epoch_start, as the loop built its loader after its epoch-start statements. The fixture is run as written
and converted and the printed epoch lines (the share of data each epoch saw, the losses, the validation accuracy)
compared; the control builds the loader from epoch 0 every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import fed_every_epoch, named, printed_lines, verify_beside_control, verify_control

FIXTURE = Path(__file__).parent / "fixtures" / "curriculum_loader_built_each_epoch.in.py"
EPOCH = "lit_model.current_epoch"


@pytest.mark.slow  # three short scripts run (about 15 s): .ci/run's slow step runs it
def test_a_loader_built_from_the_epoch_is_built_from_current_epoch(tmp_path):
    source = FIXTURE.read_text()
    converted, report = convert_source(source, FIXTURE.name)
    assert converted is not None and not report.todos and "BuiltEachEpoch(lambda: DataLoader(" in converted
    assert "reload_dataloaders_every_n_epochs=1" in converted
    assert converted.count(EPOCH) == 1  # inside the lambda: the loop's `epoch` at the site
    scripts = {"in": source, "out": converted, "control": converted.replace(EPOCH, "0")}
    printed = printed_lines(scripts, tmp_path, prefix="epoch")
    assert len(printed["in"]) == 5 and len({line.split(":")[1] for line in printed["in"]}) > 1  # the share grows
    assert printed["out"] == printed["in"]
    assert printed["control"] != printed["in"]


RESEEDED = Path(__file__).parent / "fixtures" / "reseeded_each_epoch_noise_augmentation.in.py"


@pytest.mark.slow  # two verify runs (about 20 s): .ci/run's slow step runs it
def test_a_loader_starts_after_the_epoch_start_that_reseeds_torch(tmp_path):
    """Lightning starts the first epoch's loader when fit sets up, before on_train_epoch_start; a StartedAtFirstBatch
    starts it at its first batch (T2L151). The control hands fit the bare loader: its first shuffle comes before the
    epoch's reseed, and the losses differ from the first."""
    converted, report = convert_source(RESEEDED.read_text(), RESEEDED.name)
    assert converted is not None and any(f.code == "T2L151" for f in report.findings)
    original = tmp_path / "original.py"
    original.write_text(RESEEDED.read_text())
    control = converted.replace("StartedAtFirstBatch(loader)", "loader")
    results = verify_beside_control(original, converted, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 30
    assert results["control"].failed is None and results["control"].first_difference == 0


SELF_TRAINING = Path(__file__).parent / "fixtures" / "pseudo_labels_grow_the_training_set.in.py"
GROWN = "ConcatDataset([labeled, lit_model.pseudo])"


def test_a_loader_over_state_the_epoch_s_end_changes_reads_it_from_the_module():
    """Self-training: `pseudo` (the pseudo-labels each epoch's end recomputes) is read as `lit_model.pseudo` when
    the loader is built at each epoch's first batch; it was left at the site, where nothing defines the loader."""
    output, report = convert_source(SELF_TRAINING.read_text(), SELF_TRAINING.name)
    assert f"BuiltEachEpoch(lambda: DataLoader({GROWN}, batch_size=8, shuffle=True))" in output
    assert not report.todos and any(f.code == "T2L149" and "`pseudo`" in f.message for f in report.findings)


def test_state_the_epoch_s_start_changes_is_not_read_from_the_module():
    """Changed before the loader is built in the same epoch (Lightning builds it before on_train_epoch_start runs
    that change), the state is not followed: the loader stays unresolved and the safety net marks it."""
    source = SELF_TRAINING.read_text().replace(
        "    train_loader = DataLoader(", "    pseudo = TensorDataset(pseudo.tensors[0][:8], pseudo.tensors[1][:8])\n"
        "    train_loader = DataLoader(")
    output, report = convert_source(source, SELF_TRAINING.name)
    assert "lit_model.pseudo" not in output
    assert any(f.code == "T2L925" and "train_loader" in f.message for f in report.findings)


@pytest.mark.slow  # a verify run (about 10 s)
def test_negative_control_the_pool_read_once_never_grows_the_training_set(tmp_path):
    fixture = named("pseudo_labels_grow_the_training_set")
    result = verify_control(fixture, lambda out: out.replace(GROWN, "ConcatDataset([labeled, pseudo])"), tmp_path)
    assert result.failed is None and not result.bitwise_equal  # the second epoch trains on fewer samples


ISLICE = Path(__file__).parent / "rules/convert/one_shot_loader"


@pytest.mark.slow  # five short scripts run (about 20 s): .ci/run's slow step runs it
def test_the_first_batches_of_each_pass_are_a_trainer_limit(tmp_path):
    """`for x, y in islice(loader, 5):` took the first 5 batches of a new shuffle each epoch: fit gets the loader and
    limit_train_batches=5 (T2L172); `islice(loader, 0, None, 2)` goes as EveryEpoch, made again each epoch. The
    control hands fit the islice itself (the output before): used up after the first epoch, the later epochs find no
    batches and print the first epoch's last loss again."""
    first = (ISLICE / "islice_takes_the_first_batches_each_epoch.in.py").read_text()
    stepped = (ISLICE / "islice_with_a_step_made_each_epoch.in.py").read_text()
    converted, report = convert_source(first, "first.py")
    assert "limit_train_batches=5" in converted and any(f.code == "T2L172" for f in report.findings)
    every_other, _ = convert_source(stepped, "stepped.py")
    assert "EveryEpoch(lambda: itertools.islice(loader, 0, None, 2))" in every_other
    control = "from itertools import islice\n" + converted.replace("limit_train_batches=5, ", "").replace(
        "train_dataloaders=loader", "train_dataloaders=islice(loader, 5)")  # (the import went with the islice: T2L177)
    scripts = {"first_in": first, "first_out": converted, "first_control": control, "stepped_in": stepped, "stepped_out": every_other}
    printed = printed_lines(scripts, tmp_path, prefix="epoch")
    assert len(printed["first_in"]) == 3 and len(set(printed["first_in"])) == 3
    assert printed["first_out"] == printed["first_in"] and printed["stepped_out"] == printed["stepped_in"]
    assert printed["first_control"] != printed["first_in"]


NOISY = Path(__file__).parent / "fixtures" / "curriculum_prefix_noisy_samples_dropout.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_loader_built_each_epoch_keeps_a_length(tmp_path):
    """The control hands fit the loader without a length (the EveryEpoch it was): Lightning reads it a batch ahead,
    the next batch's noise is drawn before the step's dropout, and the losses differ from the first."""
    output, _ = convert_source(NOISY.read_text(), NOISY.name)
    built = "DataLoader(Subset(data, range(16 * (lit_model.current_epoch + 1))), batch_size=8, shuffle=True)"
    assert f"BuiltEachEpoch(lambda: {built})" in output
    control = fed_every_epoch(output, built)
    results = verify_beside_control(NOISY, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12  # 2 + 4 + 6 batches
    assert results["control"].failed is None and results["control"].first_difference == 0


CHAR_RNN = Path(__file__).parent / "fixtures" / "char_rnn_generated_batches_sampled_each_epoch.in.py"


@pytest.mark.slow  # two verify runs (about 20 s)
def test_a_validation_generator_is_made_for_each_validation(tmp_path):
    """`for x, y in batches(val_data):` in the evaluation: fit's val_dataloaders gets EveryEpoch(lambda: ...) too
    (T2L134). Handed over as it is (the control), the generator was used up by the first validation: every later
    epoch printed a validation loss of 0 (the losses themselves equal)."""
    output, _ = convert_source(CHAR_RNN.read_text(), CHAR_RNN.name)
    made = "val_dataloaders=EveryEpoch(lambda: batches(val_data))"
    assert made in output
    results = verify_beside_control(CHAR_RNN, output, output.replace(made, "val_dataloaders=batches(val_data)"), 30, tmp_path)
    assert results["converted"].bitwise_equal and not results["converted"].printed_different
    assert results["control"].bitwise_equal and len(results["control"].printed_different) == 2  # epochs 1 and 2
