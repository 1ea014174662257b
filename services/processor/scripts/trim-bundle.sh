#!/bin/sh
# Keeps only the linux-x64 (glibc) native binaries in the processor's production bundle (the output of
# `pnpm deploy --prod`): the images are linux/amd64, and onnxruntime-node, koffi and
# @julusian/jpeg-turbo ship every platform's (about 230 MB we never load). Fails when a kept folder is
# missing, so a package that moves its binaries breaks the build rather than the running task.
# Usage: sh services/processor/scripts/trim-bundle.sh <bundle folder>
set -eu
bundle="$1"

keep_only() {
  folder="$1"
  shift
  for entry in "$folder"/*; do
    name="$(basename "$entry")"
    keep=no
    for wanted in "$@"; do [ "$name" = "$wanted" ] && keep=yes; done
    [ "$keep" = yes ] || rm -rf "$entry"
  done
  for wanted in "$@"; do test -d "$folder/$wanted" || { echo "trim-bundle: $folder/$wanted is missing" >&2; exit 1; }; done
}

keep_only "$bundle/node_modules/onnxruntime-node/bin/napi-v6" linux
keep_only "$bundle/node_modules/onnxruntime-node/bin/napi-v6/linux" x64
keep_only "$bundle/node_modules/koffi/build/koffi" linux_x64
keep_only "$bundle/node_modules/@julusian/jpeg-turbo/prebuilds" jpeg-turbo-linux-x64
