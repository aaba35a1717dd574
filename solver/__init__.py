"""forcegen: allocate pledged military contributions to deployment sites under national caveats."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("forcegen")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
