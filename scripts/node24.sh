#!/usr/bin/env bash
# Runs a command under Node 24 LTS (what Electron 45 itself runs, and what electron 42+ needs to install).
# A machine whose Node is older gets Node 24 from the npm registry's `node` package, cached by npx.
# Usage: scripts/node24.sh npm ci   |   scripts/node24.sh npm test   |   scripts/node24.sh npm run demo
set -euo pipefail
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 24 ]; then
  node24_bin=$(npx -y node@24 -p 'require("path").dirname(process.execPath)')
  export PATH="$node24_bin:$PATH"
fi
exec "$@"
