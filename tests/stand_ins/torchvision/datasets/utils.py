"""Download helpers: nothing is downloaded; the target folder is made so that the script's next line finds it."""

from __future__ import annotations

import os


def download_and_extract_archive(url: str, download_root: str, extract_root: str | None = None, **kwargs) -> None:
    os.makedirs(extract_root or download_root, exist_ok=True)


def download_url(url: str, root: str, **kwargs) -> None:
    os.makedirs(root, exist_ok=True)
