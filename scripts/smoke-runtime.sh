#!/usr/bin/env bash
# The Dockerfile's runtime stage, without Docker: production dependencies only
# (npm ci --omit=dev --ignore-scripts), the built dist/ beside drizzle/, views/ and seed/, then
# `node dist/main.js` on the embedded database: /readyz answers 200 and SIGTERM exits 0.
# Run by .ci/run after the build; needs the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/main.js ] || { echo "dist/main.js missing: run npm run build first" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/kelu-runtime-XXXXXX")
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$dir"' EXIT
cp package.json package-lock.json "$dir/"
cp -r dist drizzle views seed bin "$dir/"
(cd "$dir" && npm ci --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
(cd "$dir" && NODE_ENV=production HOST=127.0.0.1 PORT="$port" KELU_DATA_DIR="$dir/data" LOG_LEVEL=warn exec node dist/main.js >"$dir/out.log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; echo "the server exited while starting" >&2; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz"; echo
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
[ "$code" -eq 0 ] || { cat "$dir/out.log"; echo "exit code $code after SIGTERM" >&2; exit 1; }
echo "runtime smoke test: production dependencies only, node dist/main.js ready and stopped cleanly"
