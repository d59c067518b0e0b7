"""Generate Pypestream solutions that talk to Braze, and keep them right as they change."""


def __getattr__(name: str) -> str:
    # The version is looked up on first use: importlib.metadata costs more to import than a
    # regen with nothing to do takes to run.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("pypestream-braze")
    except PackageNotFoundError:  # running from a source tree that is not installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
