"""Generate Pypestream action-node solutions that talk to Braze, and keep them right as they
change."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pypestream-braze")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
