"""Imported by every Python process started under `t2l convert --verify` (this folder is on its PYTHONPATH): a
process the script starts (`mp.spawn`, a launcher) records its losses as the first process does. multiprocessing's
own helper process (the resource tracker) trains nothing: it is left alone (importing torch there costs seconds)."""

import os
import sys

if os.environ.get("T2L_VERIFY_RECORD") and "multiprocessing.resource_tracker" not in " ".join(sys.orig_argv):
    from converter._verify_record import start_child

    start_child()
