"""cspdesk: a desktop tool for Community Safety Partnership officers."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__`` is read from the installed metadata when first asked for (reading it
    costs about 17 ms, which the app's start-up does not spend)."""
    if name != "__version__":
        raise AttributeError(f"module 'cspdesk' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("cspdesk")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
