"""The front doors: the `pypestream-braze` command line and the cookiecutter hooks."""
