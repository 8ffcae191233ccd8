#!/usr/bin/env bash
# Installs what the demo and the test suite need, and nothing that is already there:
# node modules (from the lockfile), moto in a project-local venv, and Debian packages
# (mariadb-server, chromium, libxml2-utils) through apt-get when running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.5"
APT_PACKAGES=(mariadb-server mariadb-client chromium libxml2-utils)

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Node modules, exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. moto[server], pinned, in .venv.
if ! .venv/bin/python -c "import moto, sys; sys.exit(0 if moto.__version__ == '${MOTO_VERSION}' else 1)" 2>/dev/null; then
  log "installing moto[server]==${MOTO_VERSION} into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
fi

# 3. Debian packages.
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
