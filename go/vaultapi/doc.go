// Package vaultapi is the client generated from openapi/sessionvault.yaml by
// oapi-codegen: one method per operation, the request and reply types of the contract.
// Most programs use the facade in the parent package instead; vaultapi is there for
// calls by operation name and for fields the facade does not surface.
//
// Regenerate with `go generate ./vaultapi` (from go/); the test command fails when the
// committed file differs from a fresh generation.
package vaultapi

//go:generate go tool -modfile=../tools/go.mod oapi-codegen -config oapi-codegen.yaml ../../openapi/sessionvault.yaml
