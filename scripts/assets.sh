#!/usr/bin/env bash
# Installs the pinned npm packages (package-lock.json) and copies the files
# the pages use into static/vendor/, which is git-ignored and embedded by the
# Go build. Re-running it is cheap: npm ci runs only when the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.idcard-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

mkdir -p static/vendor
copy() { install -m 0644 "node_modules/$1" "static/vendor/$2"; }
copy weui/dist/style/weui.min.css weui.min.css
copy jsqr/dist/jsQR.js jsQR.js
copy echarts/dist/echarts.min.js echarts.min.js
