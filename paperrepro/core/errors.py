"""One exception type per kind of user-facing problem.

The command-line interface catches :class:`PaperReproError` once, prints its message as one line and exits with
``exit_code``: 2 for usage errors (unknown figure, profile or parameter), 1 for failed data or failed checks.
"""


class PaperReproError(Exception):
    """Base class of the errors the CLI reports as one line."""

    exit_code = 1


class UsageError(PaperReproError):
    """The user asked for something that does not exist (figure, paper, profile, parameter)."""

    exit_code = 2


class ConfigError(UsageError):
    """``params.yaml`` is missing, malformed, or names an unknown profile or parameter."""


class DataError(PaperReproError):
    """A file is missing, corrupted or incomplete (download, checkpoint, interrupted run)."""


class CheckError(PaperReproError):
    """Computed values disagree with their references, or outputs with their recorded checksums."""
