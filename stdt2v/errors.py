"""Errors that reach the user as one line.

``StdT2VError`` and its subclasses carry a message meant to be printed as is: it names the
input and says what to do. The CLI prints it without a traceback and exits with
``exit_code``: 2 for bad configuration or input (nothing was run), 1 for a failure while
running.
"""

from __future__ import annotations


class StdT2VError(Exception):
    exit_code = 1


class ConfigError(StdT2VError):
    """The configuration is invalid: an unknown key, a wrong type, a missing value."""

    exit_code = 2


class InputError(StdT2VError):
    """An input (image, prompt, path) is missing or unusable."""

    exit_code = 2


class NoFaceError(StdT2VError):
    """No face was found where one is needed."""

    exit_code = 2
