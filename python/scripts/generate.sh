#!/usr/bin/env bash
# Regenerates src/sessionvault/_generated/models.py from openapi/sessionvault.yaml
# (or into the folder given as $1, for the drift check).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/src/sessionvault/_generated}"
mkdir -p "$out"
"$here/.venv/bin/datamodel-codegen" \
  --input "$here/../openapi/sessionvault.yaml" --input-file-type openapi \
  --output-model-type typing.TypedDict --target-python-version 3.11 \
  --use-standard-collections --use-union-operator --disable-timestamp \
  --custom-file-header "# generated — do not edit. Source: openapi/sessionvault.yaml; regenerate with python/scripts/generate.sh" \
  --output "$out/models.py"
printf '# generated — do not edit. Source: openapi/sessionvault.yaml; regenerate with python/scripts/generate.sh\n' > "$out/__init__.py"
