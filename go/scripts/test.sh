#!/usr/bin/env bash
# The Go SDK's checks, one step of `npm test`: go vet, staticcheck, the generated
# client's drift check, and `go test -race` against real vault processes (the server
# must be built; `npm test` builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1; then
  echo "go/scripts/test.sh: the Go toolchain is missing; install Go >= 1.26 (https://go.dev/dl/) and run again" >&2
  exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
go tool -modfile=tools/go.mod staticcheck ./...

echo "== drift check of vaultapi/vaultapi.gen.go"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sed "s|^output: .*|output: $tmp/vaultapi.gen.go|" vaultapi/oapi-codegen.yaml >"$tmp/config.yaml"
go tool -modfile=tools/go.mod oapi-codegen -config "$tmp/config.yaml" ../openapi/sessionvault.yaml
if ! diff -u vaultapi/vaultapi.gen.go "$tmp/vaultapi.gen.go" >"$tmp/drift.diff"; then
  head -40 "$tmp/drift.diff" >&2
  echo "go/vaultapi/vaultapi.gen.go is stale: run 'go generate ./vaultapi' in go/ and commit it" >&2
  exit 1
fi

echo "== go test -race"
go test -race -count=1 $(go list ./... | grep -v /internal/conformance)

echo "== conformance vectors (Go)"
# -v so the runner's "conformance: N passed, N failed" line is printed.
go test -race -count=1 -v ./internal/conformance | grep -E '^(conformance:|\s*--- FAIL|FAIL|ok|panic)|conformance_test.go'
