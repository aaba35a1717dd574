"""Whether an exception is the machine running out of memory in another guise: a compiled
library that could not be loaded because its pages could not be mapped (`ImportError: ...:
failed to map segment from shared object` under `ulimit -v`, a fault trial) is no internal
error but out of memory. Imports nothing, so that the entry point can use it while starting."""

from __future__ import annotations

_SIGNS = ("failed to map segment", "cannot allocate memory")


# glibc's `cannot allocate memory in static TLS block` is a loader limit more memory does not lift
_NOT = ("static tls",)


# zlib's Z_MEM_ERROR: inflating a workbook's part with no memory left (`Error -4 while
# decompressing data: insufficient memory`): a fault trial's `report` said the file damaged
_ZLIB_NO_MEMORY = ("error -4 ", "insufficient memory")


def is_out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, an ImportError whose loader ran out of memory, or zlib out of memory;
    on `exc`, or on what it was raised from (`raise ... from`: a reader's error wrapping one),
    one level only (an error raised while merely handling one is its own)."""
    cause = exc.__cause__
    return _itself(exc) or (cause is not None and cause is not exc and _itself(cause))


def _itself(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    said = str(exc).lower()
    if isinstance(exc, RuntimeError) and "can't start new thread" in said:
        return True  # no memory for its stack (a fault trial's `ulimit -v` under sweep)
    if type(exc).__name__ == "error" and type(exc).__module__ == "zlib":
        return any(s in said for s in _ZLIB_NO_MEMORY)
    return (
        isinstance(exc, ImportError)
        and any(s in said for s in _SIGNS)
        and not any(s in said for s in _NOT)
    )
