#!/usr/bin/env bash
# Installs the Debian packages the browser and PDF tests need, when missing:
#   chromium (Playwright drives it), fonts-noto-cjk (Chinese text in PDFs and screenshots),
#   poppler-utils (pdftoppm, to look at a rendered PDF page), docker-compose (only where a docker
#   CLI lacks its compose plugin: the compose file test runs `docker compose config`).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# Where a docker CLI exists without its compose plugin, the compose file test uses docker-compose.
if command -v docker >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
  command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
