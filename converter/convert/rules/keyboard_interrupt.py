"""`try: <the training loop> except KeyboardInterrupt: ...` (pytorch/examples' word language model: Ctrl+C ends the
training early, then the script tests the best model). Lightning catches Ctrl+C inside `fit` itself: it shuts the
run down and exits the process with status 1 (`pytorch_lightning/trainer/call.py`), so the handler and the code
after it no longer run on an interrupt. Nothing in the Trainer restores that: the handler is marked."""

from __future__ import annotations

import libcst as cst

from converter.names import dotted

CODES = {"T2L929": "an `except KeyboardInterrupt` around the training: Lightning handles Ctrl+C in fit and exits, so it no longer runs"}  # fmt: skip
REASON = ("Lightning catches Ctrl+C in fit itself: it shuts down and exits the process (status 1), so this handler "
          "and the code after it no longer run on an interrupt; to end training early and go on, set "
          "trainer.should_stop from a callback (or Trainer(max_time=...))")  # fmt: skip


def mark(conv, declined: bool = False) -> None:
    """Mark the first statement of each `except KeyboardInterrupt` handler of a `try` around the replaced loop."""
    if declined:
        return  # the loop stays as it was: so does what Ctrl+C does
    plan = conv.plan
    for node in plan.index.ancestors(plan.site):
        if isinstance(node, cst.Try):
            for handler in node.handlers:
                if _catches_interrupt(handler) and isinstance(handler.body, cst.IndentedBlock) and handler.body.body:
                    conv.todo("T2L929", handler.body.body[0], REASON)


def _catches_interrupt(handler: cst.ExceptHandler) -> bool:
    kinds = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type] if handler.type else []
    names = [dotted(k.value if isinstance(k, cst.Element) else k) for k in kinds]
    return handler.type is None or any(name in ("KeyboardInterrupt", "BaseException") for name in names)
