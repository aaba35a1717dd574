"""Whether an exception is the machine running out of memory in another guise: a compiled
library that could not be loaded because its pages could not be mapped (`ImportError: ...:
failed to map segment from shared object` under `ulimit -v`, a fault trial) is no internal
error but out of memory. Imports nothing, so that the entry point can use it while starting."""

from __future__ import annotations

_SIGNS = ("failed to map segment", "cannot allocate memory")


# glibc's `cannot allocate memory in static TLS block` is a loader limit more memory does not lift
_NOT = ("static tls",)


def is_out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or an ImportError whose loader ran out of memory."""
    if isinstance(exc, MemoryError):
        return True
    said = str(exc).lower()
    return (
        isinstance(exc, ImportError)
        and any(s in said for s in _SIGNS)
        and not any(s in said for s in _NOT)
    )
