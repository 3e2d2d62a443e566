"""The call read aloud, offline: Debian's espeak-ng with its Mandarin voice makes a WAV once per
text, kept under var/speech/ (the same number at the same window sounds the same every day).

The voice is `cmn-latn-pinyin`, espeak-ng's Mandarin with Latin read as pinyin: in espeak-ng 1.51
(Debian 12) the plain `cmn` voice reads Chinese characters through its English rules ("ling
two, yi one"), while this variant of the same Mandarin voice reads them as Mandarin and still
names the letters (A, B …). No cloud service: a hall's network often has no internet.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import subprocess  # noqa: S404 — a fixed program and arguments, the text on stdin, no shell
from pathlib import Path

from django.conf import settings

COMMAND = "espeak-ng"
VOICE = "cmn-latn-pinyin"
WORDS_PER_MINUTE = 150
TIMEOUT_SECONDS = 10
# Each file is a few hundred kilobytes; past this many the least recently made half goes.
KEEP_FILES = 4000


class SpeechUnavailable(Exception):
    """espeak-ng is not installed here, or it failed: the screen speaks with the browser."""


def speech_dir() -> Path:
    return Path(settings.VAR_DIR) / "speech"


def wav_for(text: str) -> Path:
    """The WAV of `text` in the hall's voice, made on first use and kept."""
    directory = speech_dir()
    key = hashlib.sha256(f"{VOICE}|{WORDS_PER_MINUTE}|{text}".encode()).hexdigest()[:32]
    path = directory / f"{key}.wav"
    if path.exists():
        return path
    program = shutil.which(COMMAND)
    if program is None:
        raise SpeechUnavailable(f"{COMMAND} is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    # Two screens asking at once each write their own file; the rename makes one of them the
    # kept one, never a half-written file.
    partial = directory / f".{key}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        done = subprocess.run(  # noqa: S603 — no shell; the text goes on stdin, not argv
            [program, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "--stdin", "-w", str(partial)],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0 or not _is_wav(partial):
            raise SpeechUnavailable(done.stderr.decode("utf-8", "replace").strip() or "no audio")
        os.replace(partial, path)
    except subprocess.TimeoutExpired as error:
        raise SpeechUnavailable(f"{COMMAND} took over {TIMEOUT_SECONDS} s") from error
    except OSError as error:
        raise SpeechUnavailable(str(error)) from error
    finally:
        partial.unlink(missing_ok=True)
    _prune(directory)
    return path


def _is_wav(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except OSError:
        return False
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def _prune(directory: Path) -> None:
    files = [entry for entry in os.scandir(directory) if entry.name.endswith(".wav")]
    if len(files) <= KEEP_FILES:
        return
    files.sort(key=lambda entry: entry.stat().st_mtime)
    for entry in files[: len(files) // 2]:
        Path(entry.path).unlink(missing_ok=True)
