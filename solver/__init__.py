"""forcegen: allocate pledged military contributions to deployment sites under national caveats.

`__version__` is looked up when first asked for (PEP 562): importing importlib.metadata takes
20-30 ms, and the `forcegen` command imports this package before its entry point can take a
Ctrl-C (solver/entry.py); a Ctrl-C in that time printed Python's traceback."""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("forcegen")
    except PackageNotFoundError:  # running from a source tree without installation
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
