"""Checksummed, atomic downloads into a user cache directory.

A download is written to a temporary file in the destination directory, checked, and only then renamed
into place with `os.replace`, so an interrupted or corrupt download never leaves a half-written file
where a later run would trust it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path


class DownloadError(RuntimeError):
    """A file could not be fetched from any mirror, or its checksum did not match."""


def cache_dir() -> Path:
    """`$T2L_CACHE`, else `$XDG_CACHE_HOME/torch2lightning`, else `~/.cache/torch2lightning`."""
    if env := os.environ.get("T2L_CACHE"):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg) / "torch2lightning"


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(filename: str, mirrors: Sequence[str], md5: str | None, directory: Path | None = None) -> Path:
    """Return `directory/filename`, downloading it from the first mirror that works.

    A cached file is trusted only if its MD5 matches. `md5=None` (a file whose checksum is not pinned
    yet) accepts what arrives and prints its MD5 so that it can be pinned. Mirrors are base URLs (any scheme urllib knows,
    including file://). Raises DownloadError naming every mirror tried.
    """
    directory = directory or cache_dir()
    target = directory / filename
    if target.exists() and (md5 is None or md5_of(target) == md5):
        return target
    directory.mkdir(parents=True, exist_ok=True)
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        fd, tmp_name = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=directory)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
                while chunk := response.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            got = md5_of(tmp)
            if md5 is None:
                print(f"warning: {filename} has no pinned checksum; downloaded MD5 {got}")
            elif got != md5:
                failures.append(f"{url}: MD5 {got} != expected {md5}")
                continue
            os.replace(tmp, target)
            return target
        except OSError as error:  # URLError and HTTPError are OSErrors
            failures.append(f"{url}: {error}")
        finally:
            tmp.unlink(missing_ok=True)
    raise DownloadError(f"could not download {filename}: " + "; ".join(failures))
