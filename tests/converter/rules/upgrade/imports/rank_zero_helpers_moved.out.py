import pytorch_lightning as pl
from pytorch_lightning.utilities.rank_zero import rank_zero_only
from pytorch_lightning.utilities.rank_zero import rank_zero_warn


@rank_zero_only
def log_once(message):
    rank_zero_warn(message)
