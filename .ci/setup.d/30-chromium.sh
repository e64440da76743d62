# Headless Chromium for the HTML report test (tests/test_cli_html.py): Debian's package, installed once.
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
SCHEMAKIT_CHROMIUM="$(command -v chromium)"
export SCHEMAKIT_CHROMIUM
