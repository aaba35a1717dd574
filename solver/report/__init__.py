"""`forcegen report`: a one-page HTML briefing from output workbooks."""

from .command import write_report

__all__ = ["write_report"]
