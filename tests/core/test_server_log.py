"""The server log: a refused request is one line, a server error keeps its traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import StringIO
from unittest import mock

import pytest


@pytest.fixture
def server_log() -> Iterator[StringIO]:
    """What the console handler of settings.LOGGING writes (the server's stderr)."""
    (console,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    out = StringIO()
    previous = console.setStream(out)
    yield out
    console.setStream(previous)


def test_a_forbidden_page_logs_one_line_and_a_server_error_its_traceback(login, server_log):
    # given a window chief, who may not review the catalog
    client = login("chief_x")
    client.raise_request_exception = False
    # when the chief opens the review page
    response = client.get("/catalog/review/")
    # then the refusal is one line naming the path
    assert response.status_code == 403
    assert server_log.getvalue() == "Forbidden (Permission denied): /catalog/review/\n"

    # when the home page fails
    server_log.truncate(0)
    server_log.seek(0)
    with mock.patch("govhall.org.views.dashboard_for", side_effect=RuntimeError("boom")):
        response = client.get("/")
    # then the log has the line and the whole traceback
    assert response.status_code == 500
    log = server_log.getvalue()
    assert log.startswith("Internal Server Error: /\n")
    assert "Traceback (most recent call last)" in log
    assert log.rstrip().endswith("RuntimeError: boom")


@pytest.mark.django_db
def test_a_request_for_a_foreign_host_name_logs_one_line(client, server_log):
    # when a scanner asks for a host name the hall does not serve
    response = client.get("/", HTTP_HOST="scanner.example")
    # then it is refused with one line
    assert response.status_code == 400
    lines = server_log.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Invalid HTTP_HOST header: 'scanner.example'.")
