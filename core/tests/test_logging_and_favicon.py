"""A refused request is one line in the log; /favicon.ico is a real icon."""

import io
import logging
import re

import pytest
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the configured console handler writes (settings.LOGGING), captured."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_403_logs_one_line_without_a_traceback(world, client_for, console):
    assert client_for(world.worker_a).get("/accounts/users/").status_code == 403
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    # the request and the policy's reason, whatever its wording
    assert re.fullmatch(r"Forbidden \(Permission denied\): /accounts/users/ \(.+\)", lines[0]), lines
    assert "Traceback" not in console.getvalue()


def test_a_500_keeps_its_traceback(console):
    from core.logfilters import ClientErrorsOnOneLine

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), sys.exc_info()
        )
    record.status_code = 500
    assert ClientErrorsOnOneLine().filter(record) and record.exc_info is not None


def test_favicon_is_a_real_icon():
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    image = Image.open(io.BytesIO(b"".join(icon.streaming_content)))
    assert image.format == "ICO" and image.size[0] >= 16
