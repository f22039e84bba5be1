"""Imported by every Python process started under `t2l convert --verify` (this folder is on its PYTHONPATH): a
process the script starts (`mp.spawn`, a launcher) records its losses as the first process does."""

import os

if os.environ.get("T2L_VERIFY_RECORD"):
    from converter._verify_record import start_child

    start_child()
