# The documentation site: a broken link, a page missing from the navigation, an unresolvable API
# reference or an issue-code example that no longer runs fails the build (--strict), and so CI.
# Sourced by .ci/run after the venv is installed with '.[dev]' (mkdocs-material, mkdocstrings).
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir site
