"""An evaluation that computes gradients (FGSM examples crafted with `torch.autograd.grad` on the inputs, a saliency
map, `requires_grad_()` on a batch): its hook runs under `torch.enable_grad()` (T2L162), and for trainer.test the
Trainer gets `inference_mode=False`.

Lightning runs the validation inside fit under `torch.no_grad()`, and trainer.test under `torch.inference_mode()`,
where the script's evaluation ran with gradients on: `torch.autograd.grad` raised "element 0 of tensors does not
require grad" after a clean exit. `enable_grad()` in the step turns them back on under no_grad; inference mode
cannot be left from inside the step, so for a test the Trainer turns it off.
"""

from __future__ import annotations

import functools

import libcst as cst

from converter.analysis import in_code_or_called_functions

CODES = {"T2L162": "an evaluation that computes gradients -> its hook under torch.enable_grad() (for a test, Trainer(inference_mode=False))"}
GRADIENT_CALLS = {"torch.autograd.grad", "torch.autograd.backward", "torch.enable_grad", "torch.set_grad_enabled"}
GRADIENT_METHODS = {"backward", "requires_grad_", "retain_grad"}


def enabled(conv, loop: cst.For | cst.While, body: list[cst.BaseStatement], hook: str) -> list[cst.BaseStatement]:
    """The hook's body, under `torch.enable_grad()` where the evaluation loop computes gradients."""
    plan = conv.plan
    if not _computes_gradients(plan, loop.body):
        return body
    test = hook == "test_step"
    if test:  # trainer.test runs under inference mode, which enable_grad() does not undo
        conv.trainer_args["inference_mode"] = "False"
    conv.report.add("T2L162", plan.line(loop), f"the evaluation computes gradients: {hook} runs under torch.enable_grad()"
                    f"{' and Trainer(inference_mode=False)' if test else ''}, as the loop ran it with gradients on")  # fmt: skip
    torch = plan.imports.local_name("torch")
    item = cst.WithItem(cst.parse_expression(f"{torch}.enable_grad()"))
    return [cst.With(items=[item], body=cst.IndentedBlock(body=body))]


def _computes_gradients(plan, node: cst.CSTNode) -> bool:
    """`torch.autograd.grad(...)`, `x.requires_grad_()`, `x.requires_grad = True`, `loss.backward()` in the code or in
    a function of the script it calls."""
    test = functools.partial(_a_gradient_computation, plan)
    return in_code_or_called_functions(plan.module, node, test)


def _a_gradient_computation(plan, node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Call):
        return plan.imports.call_name(node) in GRADIENT_CALLS or (
            isinstance(node.func, cst.Attribute) and node.func.attr.value in GRADIENT_METHODS)  # fmt: skip
    return isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Attribute) and node.target.attr.value == "requires_grad"
