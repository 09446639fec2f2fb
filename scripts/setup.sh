#!/usr/bin/env bash
# Installs what digest needs and is not in npm: Chromium (to lay out pages),
# poppler-utils and Ghostscript (the printers' tools the tests read PDFs with),
# qpdf (the tests check the PDFs' structure with it); then the npm dependencies.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}

missing=()
have_browser || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
# fc-list: the test that builds without the system's fonts checks with it that fontconfig sees none.
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "digest setup: installing ${missing[*]} with apt-get" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "digest setup: please install ${missing[*]} (no apt-get on this machine)" >&2
    exit 1
  fi
fi

# npm dependencies, when missing or older than the lock file. Puppeteer must not
# download a browser of its own: digest drives the system's Chromium.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "digest setup: installing npm dependencies (npm ci)" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
fi
