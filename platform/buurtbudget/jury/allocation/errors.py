"""Errors raised by the allocation rules and the Pabulib reader."""


class AllocationError(Exception):
    """Base class for errors of the allocation package."""


class UnknownRuleError(AllocationError):
    """The requested rule or tie-break does not exist."""


class PabulibError(AllocationError):
    """A Pabulib file could not be read; names the section and the line (1-based)."""

    def __init__(self, message: str, *, line: int, section: str | None) -> None:
        self.message = message
        self.line = line
        self.section = section
        where = f"line {line}" if section is None else f"line {line} (section {section.upper()})"
        super().__init__(f"{where}: {message}")
