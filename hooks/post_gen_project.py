"""Generate the solution's files from the mapping, with the same engine as the CLI."""

import json
import os
import sys

context = json.loads(r"""{{ cookiecutter | tojson }}""")
sys.path.append(context["_repo_dir"] + "/src")  # used only where the package is not installed
from pypestream_braze.cli.cookiecutter_hooks import post_gen  # noqa: E402

sys.exit(post_gen(context, os.getcwd()))
