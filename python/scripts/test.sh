#!/usr/bin/env bash
# The Python SDK's checks, run by `npm test`: a venv with pinned tools from PyPI, ruff,
# mypy --strict, the generated-code drift check, and pytest against a real vault.
set -euo pipefail
py="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$py/.." && pwd)"
venv="$py/.venv"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# Reinstall only when pyproject.toml changed since the last install.
stamp="$venv/.installed-$(sha256sum "$py/pyproject.toml" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check -e "$py[dev]"
  touch "$stamp"
fi

# The tests start the vault from the server's build.
if [ ! -f "$root/packages/server/dist/cli.js" ]; then
  (cd "$root" && node scripts/sv.mjs exec turbo run build --filter=@sessionvault/server)
fi

cd "$py"
echo "== python: ruff"
"$venv/bin/ruff" check src tests bench
"$venv/bin/ruff" format --check src tests bench
echo "== python: mypy --strict"
"$venv/bin/mypy"
echo "== python: generated code matches openapi/sessionvault.yaml"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$py/scripts/generate.sh" "$tmp"
if ! diff -ru "$py/src/sessionvault/_generated" "$tmp" -x __pycache__; then
  echo "python/src/sessionvault/_generated is out of date: run bash python/scripts/generate.sh" >&2
  exit 1
fi
echo "== python: pytest"
set +e
"$venv/bin/python" -m pytest -q tests
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$status"
