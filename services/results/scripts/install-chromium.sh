#!/usr/bin/env bash
# Installs Debian's chromium package for the HTML report's browser test. Idempotent: does nothing when
# /usr/bin/chromium is already there. Never lets a tool download its own browser build.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "[install-chromium] $CHROMIUM already installed: $("$CHROMIUM" --version 2>/dev/null || echo unknown version)" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "[install-chromium] apt-get not found: install Debian's chromium package (/usr/bin/chromium) by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "[install-chromium] not root and no sudo: run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "[install-chromium] installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
"$CHROMIUM" --version >&2
