"""Errors that end a command with exit code 2 and a one-line message instead of a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: a missing or unreadable file, an input the command needs valid.

    ``str(err)`` is the whole message; it names the file first (``"schema.json: ..."``)
    so that CI logs point at the culprit without a traceback.
    """

    exit_code = 2


class OutputClosed(Exception):
    """stdout was closed by its reader (``| head``); raised instead of click's own EPIPE exit 1,
    which would read as "issues found"."""
