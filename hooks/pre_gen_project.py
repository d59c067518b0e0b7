"""Validate the mapping and the answers before anything is generated."""

import json
import sys

context = json.loads(r"""{{ cookiecutter | tojson }}""")
sys.path.append(context["_repo_dir"] + "/src")  # used only where the package is not installed
from pypestream_braze.cli.cookiecutter_hooks import pre_gen  # noqa: E402

sys.exit(pre_gen(context))
