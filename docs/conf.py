"""Sphinx configuration of InjectTool's documentation (`make docs`)."""

project = "InjectTool"
author = "InjectTool contributors"
copyright = "InjectTool contributors"  # noqa: A001 (Sphinx's name)
release = "0.1.0"

extensions: list[str] = []
exclude_patterns = ["_build"]
root_doc = "index"
html_theme = "furo"
html_title = "InjectTool"
# Every page is reStructuredText; keep literal blocks plain unless they say their language.
highlight_language = "none"
