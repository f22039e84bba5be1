"""`t2l convert`: plain PyTorch training scripts -> LightningModule + Trainer.

driver.py runs one conversion; plan.py reads the loops; step.py walks a loop body and asks the rules
(`rules/`, one module per concept, each owning its codes, listed in order in registry.py); attributes.py and
site.py build the class and the Trainer call around the hooks.
"""

from converter.convert.driver import convert_source
from converter.files import BadInput

__all__ = ["BadInput", "convert_source"]
