"""Tests helper: is a long computation run inside a write transaction? (ADR 0010)"""

from contextlib import contextmanager
from unittest import mock

from django.db import connection


@contextmanager
def transaction_depths(target: object, name: str):
    """Patch `target.name` to record, at each call, how many transactions the code under test
    had opened around it (those of the test itself are not counted): [0] means it ran outside
    any, so the write lock was not held meanwhile."""
    base = len(connection.atomic_blocks)
    depths: list[int] = []
    original = getattr(target, name)

    def recording(*args, **kwargs):
        depths.append(len(connection.atomic_blocks) - base)
        return original(*args, **kwargs)

    with mock.patch.object(target, name, recording):
        yield depths
