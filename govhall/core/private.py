"""Files and folders for the owner's eyes only: the database, the keys, the backups.

A folder created here is 0700 and a file 0600 from the moment it exists (os.open with the mode,
not chmod after writing), whatever the process's umask, so no other account on the machine can
read personal data in the window between creating and restricting. Existing paths are left as
they are: an operator may have chosen their modes. Plain os/pathlib only: settings use it.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """`path` as a folder; the folders created for it (missing parents too) are 0700."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # another process made it first
        folder.chmod(DIR_MODE)  # mkdir's mode passes through the umask
    return path


def private_file(path: Path) -> Path:
    """`path` as a file; created empty and 0600 if missing."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return path
    os.fchmod(descriptor, FILE_MODE)  # os.open's mode passes through the umask
    os.close(descriptor)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` into a new 0600 file (or over an existing file, keeping its mode)."""
    private_file(path)
    path.write_bytes(data)
