# Ajv 8, SchemaStore's validator, for the editor schema tests (tests/test_codegen_editor.py): Node from
# Debian's packages, Ajv from the npm registry into .ci/node (not the project tree). Idempotent.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
SCHEMAKIT_AJV_DIR="$(pwd)/.ci/node/node_modules"
if [ ! -f "$SCHEMAKIT_AJV_DIR/ajv/package.json" ]; then
    npm install --silent --no-audit --no-fund --prefix .ci/node ajv@8 >/dev/null
fi
export SCHEMAKIT_AJV_DIR
