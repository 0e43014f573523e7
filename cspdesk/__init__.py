"""cspdesk: a desktop tool for Community Safety Partnership officers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cspdesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
