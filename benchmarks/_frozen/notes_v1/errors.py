"""The one error type users see: it names the file, and the line or field where it can."""
from __future__ import annotations


class InputError(Exception):
    """Bad input the user can fix. The CLI prints it on one line and exits non-zero."""

    def __init__(self, path: object, message: str, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"
