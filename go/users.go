package sessionvault

import (
	"context"

	"github.com/sessionvault/sessionvault/go/vaultapi"
)

// User is a PII profile and the vault token that stands in for it.
type User struct {
	Token   string
	Profile map[string]any
}

// Token is a sensitive value replaced by a token.
type Token struct {
	UUID string // the token's id
	Base string // a stand-in of the same format where the type allows (e.g. a Luhn-valid card number)
}

// TokenType is the kind of value a token stands for.
type TokenType = vaultapi.TokenType

// The token types of the contract.
const (
	TokenCreditCard TokenType = vaultapi.TokenTypeCreditcard
	TokenEmail      TokenType = vaultapi.TokenTypeEmail
	TokenPhone      TokenType = vaultapi.TokenTypePhone
	TokenSSN        TokenType = vaultapi.TokenTypeSsn
	TokenString     TokenType = vaultapi.TokenTypeString
)

// CreateUser stores a profile encrypted and returns its token. The string fields
// login, email, phone and custom are identities (unique per tenant). Not retried:
// a repeat could create a second user.
//
// Example:
//
//	token, err := vault.CreateUser(ctx, map[string]any{"email": "ada@example.org", "name": "Ada"})
func (c *Client) CreateUser(ctx context.Context, profile map[string]any, opts ...WriteOption) (string, error) {
	o := collect(opts)
	body := vaultapi.UserCreateRequest{Profile: profileOf(profile), Slidingtime: o.sliding, Finaltime: o.final}
	var reply vaultapi.UserCreateResponse
	err := c.call(ctx, "UserCreate", false, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.UserCreate(ctx, body)
	}, &reply)
	return reply.Token.String(), err
}

// GetUser reads a profile by any of its identities; [ErrNotFound] when there is none.
func (c *Client) GetUser(ctx context.Context, mode Mode, identity string) (*User, error) {
	body := vaultapi.UserRefRequest{Mode: mode, Identity: identity}
	var reply struct {
		Token   string         `json:"token"`
		Profile map[string]any `json:"profile"`
	}
	err := c.call(ctx, "UserGet", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.UserGet(ctx, body)
	}, &reply)
	if err != nil {
		return nil, err
	}
	return &User{Token: reply.Token, Profile: orEmpty(reply.Profile)}, nil
}

// UpdateUser merges a patch into a profile (RFC 7396: a null value removes that field);
// its token stays the same and the lookups follow changed identities.
func (c *Client) UpdateUser(ctx context.Context, mode Mode, identity string, profile map[string]any) error {
	body := vaultapi.UserUpdateRequest{Mode: mode, Identity: identity, Profile: patchOf(profile)}
	return c.call(ctx, "UserUpdate", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.UserUpdate(ctx, body)
	}, nil)
}

// DeleteUser deletes a profile and ends every session linked to it.
func (c *Client) DeleteUser(ctx context.Context, mode Mode, identity string) error {
	body := vaultapi.UserRefRequest{Mode: mode, Identity: identity}
	return c.call(ctx, "UserDelete", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.UserDelete(ctx, body)
	}, nil)
}

// CreateToken replaces one value with a token. With unique, the same value gets the
// same token (and the call is then retried on transient failures). The token's Base
// is a lookup key only with the [BaseLookup] option.
func (c *Client) CreateToken(ctx context.Context, kind TokenType, record string, unique bool, opts ...WriteOption) (Token, error) {
	o := collect(opts)
	body := vaultapi.TokenCreateRequest{Tokentype: kind, Record: record, Slidingtime: o.sliding, Finaltime: o.final}
	if unique {
		body.Unique = &unique
	}
	if o.baseLookup {
		body.Baselookup = &o.baseLookup
	}
	var reply vaultapi.TokenCreateResponse
	err := c.call(ctx, "TokenCreate", unique, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.TokenCreate(ctx, body)
	}, &reply)
	return Token{UUID: reply.Tokenuuid.String(), Base: reply.Tokenbase}, err
}

// TokenRecord is one value to tokenize in [Client.CreateTokens].
type TokenRecord struct {
	Type   TokenType
	Record string
}

// CreatedToken is a token made by [Client.CreateTokens], in the order of the records.
type CreatedToken struct {
	Token
	Type TokenType
}

// CreateTokens replaces many values with tokens in one call; the windows in opts
// apply to all of them. With unique, equal values get equal tokens (and the call is
// then retried on transient failures).
//
// Example:
//
//	created, err := vault.CreateTokens(ctx, []sessionvault.TokenRecord{
//		{Type: sessionvault.TokenCreditCard, Record: "4111111111111111"},
//		{Type: sessionvault.TokenEmail, Record: "ada@example.org"},
//	}, true)
func (c *Client) CreateTokens(ctx context.Context, records []TokenRecord, unique bool, opts ...WriteOption) ([]CreatedToken, error) {
	o := collect(opts)
	body := vaultapi.TokenCreateBulkRequest{Slidingtime: o.sliding, Finaltime: o.final}
	body.Records = make([]struct {
		Record    vaultapi.TokenRecord `json:"record"`
		Tokentype vaultapi.TokenType   `json:"tokentype"`
	}, len(records))
	for i, r := range records {
		body.Records[i].Record, body.Records[i].Tokentype = r.Record, r.Type
	}
	if unique {
		body.Unique = &unique
	}
	if o.baseLookup {
		body.Baselookup = &o.baseLookup
	}
	var reply vaultapi.TokenCreateBulkResponse
	err := c.call(ctx, "TokenCreateBulk", unique, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.TokenCreateBulk(ctx, body)
	}, &reply)
	if err != nil {
		return nil, err
	}
	out := make([]CreatedToken, len(reply.Created))
	for i, t := range reply.Created {
		out[i] = CreatedToken{Token: Token{UUID: t.Tokenuuid.String(), Base: t.Tokenbase}, Type: t.Tokentype}
	}
	return out, nil
}

// GetToken returns the value behind a token (its UUID, or its base when it was
// created with [BaseLookup]) and its type.
func (c *Client) GetToken(ctx context.Context, token string) (string, TokenType, error) {
	body := vaultapi.TokenRefRequest{Token: token}
	var reply vaultapi.TokenGetResponse
	err := c.call(ctx, "TokenGet", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.TokenGet(ctx, body)
	}, &reply)
	return reply.Record, reply.Tokentype, err
}

// DeleteToken deletes a token and its value.
func (c *Client) DeleteToken(ctx context.Context, token string) error {
	body := vaultapi.TokenRefRequest{Token: token}
	return c.call(ctx, "TokenDelete", true, func(ctx context.Context) (*httpResponse, error) {
		return c.raw.TokenDelete(ctx, body)
	}, nil)
}

func patchOf(m map[string]any) vaultapi.ProfilePatch {
	var p vaultapi.ProfilePatch
	for k, v := range m {
		p.Set(k, v)
	}
	return p
}

func profileOf(m map[string]any) vaultapi.Profile {
	var p vaultapi.Profile
	for k, v := range m {
		p.Set(k, v)
	}
	return p
}
