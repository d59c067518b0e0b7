"""Rendering the model into a solution's files, in memory: Jinja templates, black, CSV, Markdown."""
