"""A scratch media folder for clippings; the sample files of the oversight tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.oversight.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, at

__all__ = ["JPEG_BYTES", "PDF_BYTES", "PNG_BYTES", "at"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
