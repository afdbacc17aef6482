#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) and copies the files
# the pages use into static/vendor/, which is git-ignored and embedded by the
# Go build. Re-running it is cheap: npm ci runs only when the lock changed.
# The dev dependencies are installed too: @redocly/cli lints the OpenAPI
# document in `make test` (node_modules/.bin/redocly, no network needed).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.idcard-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --include=dev --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
test -x node_modules/.bin/redocly || { echo "assets: @redocly/cli missing from node_modules" >&2; exit 1; }
# axe-core is read from node_modules by the browser tests (browser.Axe); it
# is not copied into static/vendor, as no page serves it.
test -f node_modules/axe-core/axe.min.js || { echo "assets: axe-core missing from node_modules" >&2; exit 1; }

mkdir -p static/vendor
copy() { install -m 0644 "node_modules/$1" "static/vendor/$2"; }
copy weui/dist/style/weui.min.css weui.min.css
copy jsqr/dist/jsQR.js jsQR.js
copy echarts/dist/echarts.min.js echarts.min.js

# The mini-program's npm components, laid out as WeChat DevTools' 构建 npm
# would (miniprogram_npm/<package>), from the pinned package; git-ignored.
mp_npm=frontend/miniprogram/miniprogram_npm
rm -rf "$mp_npm/weui-miniprogram"
mkdir -p "$mp_npm"
cp -R node_modules/weui-miniprogram/miniprogram_dist "$mp_npm/weui-miniprogram"

# The mini-program's copies of the H5's pure rules (ID number checks, case
# statuses, provisional due times, formats), generated as CommonJS into
# frontend/miniprogram/h5rules/; git-ignored.
node scripts/shared-rules.mjs
