// generated — do not edit. Source: openapi/sessionvault.yaml; run `pnpm run generate`.
/* eslint-disable */
export const contract = {
  "openapi": "3.1.0",
  "info": {
    "title": "sessionvault",
    "version": "0.1.0",
    "summary": "Encrypted, revocable web sessions, PII profiles and tokens.",
    "description": "The one contract of sessionvault. The `/v2/*` operations are a compatible subset of\nDatabunker Pro's v2 API: every call is `POST /v2/{Operation}` with a JSON body, the\n`X-Bunker-Token` header, and optionally `X-Bunker-Tenant`. Success is\n`200 {\"status\":\"ok\", ...}`; failure is `{\"status\":\"error\",\"message\":\"...\"}` with\n400, 403, 404, 405, 409, 413, 500 or 503.\n\nOperations and fields marked `x-sessionvault-extension: true` are sessionvault's\nown additions. A Databunker server ignores extension fields it does not know and\ndoes not serve extension operations; clients that need them say so in their docs.\n\n## Linking a session to a user\nA session belongs to the user whose vault token (the `token` returned by\n`UserCreate`) is given as `usertoken` when the session is written with\n`SessionUpsert` or `SessionPatch`. The link is stored inside the encrypted record\nand in a keyed-hash index, never as plaintext. `SessionListUserSessions` and\n`SessionRevokeUser` take any of that user's identities (`mode` + `identity`),\nresolve them to the user's token and return or delete the linked sessions.\nWriting a session without `usertoken` keeps its existing link; `usertoken: \"\"`\nremoves it.\n\n## Time windows\n`slidingtime` is a duration (`30s`, `30m`, `1h`, `7d`, `1y`): the record expires that\nlong after its last read or write. `finaltime` is a duration from the first write,\nor a number: a unix timestamp in seconds when it is later than now, else that many\nseconds from the first write (as Databunker reads it); it is never extended. A record is\ninvisible as soon as either window has passed.\n\n## Concurrency (extension)\nEvery session record carries a `version` that starts at 1 and grows by one on\nevery write. `SessionUpsert` and `SessionPatch` accept `expectversion`: the write\nhappens only if the stored version equals it (0 means \"must not exist\"), otherwise\nthe vault answers 409. `SessionPatch` merges top-level keys, so two writers that\nchange different keys both keep their change without a version check.\n\nA write without `expectversion` never fails with 409 because of other writers:\none vault instance applies the writes to one record one after another, and\ninstances sharing PostgreSQL or Redis retry their compare-and-set with jittered\nbackoff. If a write still cannot get through, the vault answers 503 with a\n`Retry-After` header and writes nothing, so the call is safe to retry. 409 means\nonly a failed `expectversion` or a uniqueness check.\n\n## Strings\nA string value or object key anywhere in a body that holds a lone UTF-16 surrogate\n(an unpaired `\\uD800`-`\\uDFFF` escape, which has no UTF-8 form) is refused with 400\nnaming the field (`body.request_metadata.note: holds a lone UTF-16 surrogate ...`),\nbefore anything is stored or audited. A surrogate pair (`\\ud83d\\ude00`) is kept as sent.\n\n## Audit metadata\nAny body may carry `request_metadata`. The audit log keeps an allow-list of its fields,\neach only in its known shape: `requestId`/`request_id` (a UUID, ULID, 16/32/64 hex\ndigits or `req_7f3a9c`-like), `traceId`/`trace_id`/`traceparent`, `method`,\n`route`/`path` (a path template of lower-case words, `:param` or `{param}`), `status`\n(100-599), `userAgent`/`user_agent` (its `product/major.minor` tokens only) and\n`ip`/`clientIp`/`client_ip` (kept as its /24 or /64 network). Everything else is\ndropped and counted in `_redacted`; the reply is the same either way.\n\n## Token bases and lookup by token base (extension)\n`TokenCreate` and `TokenCreateBulk` return a `tokenuuid` (122 random bits) and a\n`tokenbase`, a stand-in of the value's shape for systems that need one. A base keeps\nonly the shape its format needs and replaces every character that carries\ninformation: a `creditcard` base is a Luhn-valid number of the same length that\nkeeps the last four digits; other bases have one character per character of the\nvalue, keep only the separators ` ` (any white space), `-`, `/`, `.`, `@`, `+`, `(`,\n`)` and `,`, and replace every digit of any script with a random ASCII digit and\neverything else (letters of any script, combining marks, symbols, emoji, other\npunctuation) with a random ASCII letter, upper case only for an upper-case letter.\nWhen that would leave fewer than 64 random bits, the base is 22 random base64url\ncharacters instead.\n\n| value                                  | token base                           | random bits |\n| -------------------------------------- | ------------------------------------ | ----------- |\n| 12-digit card                          | Luhn-valid, last four kept            | 23.1        |\n| 15-digit card                          | Luhn-valid, last four kept            | 33.1        |\n| 16-digit card                          | Luhn-valid, last four kept            | 36.4        |\n| 19-digit card                          | Luhn-valid, last four kept            | 46.4        |\n| phone `+44 20 7946 0958` (12 digits)   | base64url (format would give 39.9)    | 132         |\n| SSN `123-45-6789`                      | base64url (format would give 29.9)    | 132         |\n| email `jane.doe@example.com`           | same shape (17 letters)               | 79.9        |\n| any value with ≥ 64 bits of positions  | same shape                            | ≥ 64        |\n| short values (`ab@c.de`, 5 letters)    | base64url                             | 132         |\n\nA digit position carries log2(10) = 3.32 bits, a letter position log2(26) = 4.70.\n\n`TokenGet` and `TokenDelete` accept a `tokenbase` only for a token created with\n`baselookup: true`. For any other token its base is not a key at all: the vault\nstores no index for it, and a lookup answers the same 404 as an unknown token. Opt\nin only when the base is hard to guess: a base is then a lookup key, and anyone\nholding the vault's access token can enumerate the bases of a format — about 2^23\ncandidates for a 12-digit card, 2^36 for a 16-digit one — and read every value\nthey hit. Tokens created before this option existed are not found by their base.\nWith `unique`, the existing token for a value is returned with the options it was\ncreated with.\n",
    "license": {
      "name": "Apache-2.0",
      "identifier": "Apache-2.0"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:4700",
      "description": "`sessionvault dev`"
    }
  ],
  "security": [
    {
      "BunkerToken": [],
      "BunkerTenant": []
    },
    {
      "BunkerToken": []
    }
  ],
  "tags": [
    {
      "name": "sessions",
      "description": "Session records keyed by the opaque id in the browser's cookie."
    },
    {
      "name": "users",
      "description": "PII profiles, stored encrypted and replaced by a token."
    },
    {
      "name": "tokens",
      "description": "Single sensitive values (card numbers, emails, ...) replaced by tokens."
    },
    {
      "name": "system",
      "description": "Health and readiness probes (extensions)."
    },
    {
      "name": "v1",
      "description": "Databunker OSS v1 session routes, served over the same storage."
    }
  ],
  "paths": {
    "/v2/SessionUpsert": {
      "post": {
        "operationId": "SessionUpsert",
        "tags": [
          "sessions"
        ],
        "summary": "Create or replace a session record.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionUpsertRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Stored.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionWriteResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/SessionGet": {
      "post": {
        "operationId": "SessionGet",
        "tags": [
          "sessions"
        ],
        "summary": "Read a session record; a read extends its sliding window.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The session.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionGetResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/SessionDelete": {
      "post": {
        "operationId": "SessionDelete",
        "tags": [
          "sessions"
        ],
        "summary": "Delete a session record. Deleting a missing session succeeds.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Deleted, or was not there.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/SessionListUserSessions": {
      "post": {
        "operationId": "SessionListUserSessions",
        "tags": [
          "sessions"
        ],
        "summary": "List a user's live sessions, most recently used first.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionListUserSessionsRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The user's live sessions.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionListUserSessionsResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/SessionTouch": {
      "post": {
        "operationId": "SessionTouch",
        "x-sessionvault-extension": true,
        "tags": [
          "sessions"
        ],
        "summary": "Extend a session's sliding window without sending its data.",
        "description": "Moves the expiry to now plus the sliding window (capped by `finaltime`). With\n`slidingtime`, that becomes the session's window from now on: later reads and\nwrites slide by it too. A touch never changes the session's data or `version`.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionTouchRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Extended.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionTouchResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/SessionPatch": {
      "post": {
        "operationId": "SessionPatch",
        "x-sessionvault-extension": true,
        "tags": [
          "sessions"
        ],
        "summary": "Merge top-level keys into a session (set and unset), atomically.",
        "description": "Keys in `set` replace the stored value of that key; keys in `unset` are removed;\nevery other key keeps its stored value. The merge happens inside the vault in\none atomic step, so concurrent patches that touch different keys never lose a\nchange. When two patches set the same key, the one the vault applies last wins;\nuse `expectversion` to detect that instead. A patch on a missing session creates\nit when `create` is true, otherwise it answers 404.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionPatchRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Merged.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionWriteResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/SessionRevokeUser": {
      "post": {
        "operationId": "SessionRevokeUser",
        "x-sessionvault-extension": true,
        "tags": [
          "sessions"
        ],
        "summary": "Delete every session of a user in one call (\"sign out everywhere\").",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionRevokeUserRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Deleted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionRevokeUserResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/UserCreate": {
      "post": {
        "operationId": "UserCreate",
        "tags": [
          "users"
        ],
        "summary": "Store a PII profile encrypted; returns the token that stands in for it.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserCreateRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserCreateResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/UserGet": {
      "post": {
        "operationId": "UserGet",
        "tags": [
          "users"
        ],
        "summary": "Read a profile by any of its identities.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The profile.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserGetResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/UserUpdate": {
      "post": {
        "operationId": "UserUpdate",
        "tags": [
          "users"
        ],
        "summary": "Merge changes into a profile (JSON merge patch); its token stays the same.",
        "description": "`profile` is a JSON merge patch (RFC 7396), as in Databunker: fields it leaves out\nare kept, `null` removes a field, nested objects merge. Identity lookups follow the\nmerged profile: a changed `email` is found by its new value only.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserUpdateRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Updated.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/UserDelete": {
      "post": {
        "operationId": "UserDelete",
        "tags": [
          "users"
        ],
        "summary": "Delete a profile, its identity indexes and its sessions.",
        "description": "Ends every session linked to the user as well (erasure), then deletes the profile and its identity indexes.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Deleted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/TokenCreate": {
      "post": {
        "operationId": "TokenCreate",
        "tags": [
          "tokens"
        ],
        "summary": "Replace one sensitive value with a token.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenCreateRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Created (or, with `unique`, the existing token for that value).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenCreateResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v2/TokenGet": {
      "post": {
        "operationId": "TokenGet",
        "tags": [
          "tokens"
        ],
        "summary": "Read the value behind a token (its `tokenuuid`, or its `tokenbase` if created with `baselookup`).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The value.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenGetResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/TokenDelete": {
      "post": {
        "operationId": "TokenDelete",
        "tags": [
          "tokens"
        ],
        "summary": "Delete a token and its value.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenRefRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Deleted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v2/TokenCreateBulk": {
      "post": {
        "operationId": "TokenCreateBulk",
        "tags": [
          "tokens"
        ],
        "summary": "Tokenize many values in one call, in order.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenCreateBulkRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Created, in the order of `records`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenCreateBulkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "Health",
        "x-sessionvault-extension": true,
        "tags": [
          "system"
        ],
        "summary": "Liveness. Needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "The process is up.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "Ready",
        "x-sessionvault-extension": true,
        "tags": [
          "system"
        ],
        "summary": "Readiness. 503 while storage is unreachable or the vault is draining. Needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready to serve.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "description": "Not ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorResponse"
                }
              }
            }
          }
        }
      }
    },
    "/v1/session/{uuid}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/V1SessionUuid"
        }
      ],
      "post": {
        "operationId": "V1SessionSet",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Store the request body as the session's data.",
        "description": "Compatibility surface over the same storage as `/v2/Session*`. The body is a\nJSON object stored whole as `sessiondata`. As in Databunker OSS, a top-level\n`expiration` sets an absolute expiry: `30s`, `2h`, `7d`, `1m` (a month of 31 days),\nor a bare number of seconds from now (a unix time in seconds when it is later than\nnow); a value in any other form is ignored. A top-level string `token`, `login`,\n`email`, `phone` or `custom` links the session to that user when such a user\nexists. Query parameters may carry `slidingtime` or `finaltime`, as for\n`SessionUpsert`; a `finaltime` there wins over `expiration`.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionData"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Stored.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1SessionResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      },
      "get": {
        "operationId": "V1SessionGet",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Read a session.",
        "responses": {
          "200": {
            "description": "The session.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1SessionResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      },
      "delete": {
        "operationId": "V1SessionDelete",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Delete a session.",
        "responses": {
          "200": {
            "description": "Deleted, or was not there.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OkResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v1/sessions/{mode}/{identity}": {
      "parameters": [
        {
          "name": "mode",
          "in": "path",
          "required": true,
          "schema": {
            "$ref": "#/components/schemas/Mode"
          }
        },
        {
          "name": "identity",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          }
        },
        {
          "name": "offset",
          "in": "query",
          "required": false,
          "schema": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "default": 0
          }
        },
        {
          "name": "limit",
          "in": "query",
          "required": false,
          "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "default": 10
          }
        }
      ],
      "get": {
        "operationId": "V1SessionList",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. List a user's sessions, most recently used first, `limit` (10) from `offset`.",
        "responses": {
          "200": {
            "description": "The user's live sessions.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1SessionListResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    },
    "/v1/user": {
      "post": {
        "operationId": "V1UserCreate",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Store the request body as a new user's profile.",
        "description": "As `UserCreate`; the body is the profile. A taken identity is 409.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Profile"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1UserTokenResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/v1/user/{mode}/{identity}": {
      "parameters": [
        {
          "name": "mode",
          "in": "path",
          "required": true,
          "schema": {
            "$ref": "#/components/schemas/Mode"
          }
        },
        {
          "name": "identity",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          }
        }
      ],
      "get": {
        "operationId": "V1UserGet",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Read a user's profile as `{status, token, data}`.",
        "responses": {
          "200": {
            "description": "The profile.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1UserGetResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      },
      "put": {
        "operationId": "V1UserUpdate",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Merge the body into the profile (JSON merge patch), as `UserUpdate`.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ProfilePatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Updated.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1UserTokenResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      },
      "delete": {
        "operationId": "V1UserDelete",
        "tags": [
          "v1"
        ],
        "summary": "Databunker OSS compatibility. Delete a user's profile and identities.",
        "responses": {
          "200": {
            "description": "Deleted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/V1UserDeleteResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "BunkerToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Bunker-Token",
        "description": "An access token from the vault's configuration. Compared in constant time."
      },
      "BunkerTenant": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Bunker-Tenant",
        "description": "Optional tenant name. Records of one tenant are invisible to every other tenant."
      }
    },
    "parameters": {
      "V1SessionUuid": {
        "name": "uuid",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/SessionUuid"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The body is not JSON, a field is missing or of the wrong type, or a value is out of range. The message names the field.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The access token is missing or wrong. Checked before anything else.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "NotFound": {
        "description": "The record does not exist or has expired (the two are indistinguishable), or the operation is unknown.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "MethodNotAllowed": {
        "description": "The operation exists but was called with a method other than POST.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "Conflict": {
        "description": "A uniqueness or version check failed.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "Busy": {
        "description": "Other vault instances kept winning the race for this record and the vault gave\nup for now. Nothing was written; retry after the number of seconds in\n`Retry-After`.\n",
        "headers": {
          "Retry-After": {
            "description": "Seconds to wait before retrying.",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is larger than the vault's limit (1 MiB by default).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      },
      "ServerError": {
        "description": "A fault inside the vault or its storage. Never caused by client input.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorResponse"
            }
          }
        }
      }
    },
    "schemas": {
      "OkResponse": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          }
        }
      },
      "ErrorResponse": {
        "type": "object",
        "required": [
          "status",
          "message"
        ],
        "properties": {
          "status": {
            "const": "error"
          },
          "message": {
            "type": "string",
            "description": "Human-readable; never contains tokens, session ids, session data or PII."
          }
        }
      },
      "RequestMetadata": {
        "type": "object",
        "description": "Caller context for the audit log. Only the allow-listed fields in their shapes are kept (see \"Audit metadata\"); every other field is dropped, never stored.",
        "additionalProperties": true
      },
      "SessionUuid": {
        "type": "string",
        "minLength": 8,
        "maxLength": 256,
        "pattern": "^[\\x21-\\x7E]+$",
        "description": "The opaque session id from the cookie. Stored only as a keyed hash."
      },
      "SessionData": {
        "type": "object",
        "additionalProperties": true,
        "description": "Any JSON object."
      },
      "UserToken": {
        "type": "string",
        "format": "uuid",
        "description": "A user's vault token, as returned by `UserCreate`."
      },
      "Mode": {
        "type": "string",
        "enum": [
          "token",
          "login",
          "email",
          "phone",
          "custom"
        ]
      },
      "Identity": {
        "type": "string",
        "minLength": 1,
        "maxLength": 1024
      },
      "Duration": {
        "type": "string",
        "pattern": "^(?:[1-9][0-9]{0,8}s|[1-9][0-9]{0,7}m|[1-9][0-9]{0,6}h|[1-9][0-9]{0,5}d|[1-9][0-9]{0,3}y)$",
        "description": "A duration such as `30s`, `30m` (minutes), `1h`, `7d` or `1y` (365 days): at most 999999999s, 99999999m, 9999999h, 999999d or 9999y, so every expiry it yields is a safe integer of unix milliseconds.",
        "examples": [
          "30m",
          "1h",
          "7d"
        ]
      },
      "SlidingTime": {
        "$ref": "#/components/schemas/Duration"
      },
      "FinalTime": {
        "description": "A duration from the first write, or a number (or digit string) read as Databunker\nreads it: a unix timestamp in seconds when it is later than now, else a number of\nseconds from the first write; a number of 1000000000 or more (September 2001 on)\nis always a timestamp. The time it names must lie in the future, or the request is\na 400.\n",
        "oneOf": [
          {
            "$ref": "#/components/schemas/Duration"
          },
          {
            "type": "integer",
            "minimum": 1,
            "maximum": 253402300799
          },
          {
            "type": "string",
            "pattern": "^[1-9][0-9]{0,11}$"
          }
        ]
      },
      "Version": {
        "type": "integer",
        "minimum": 1,
        "maximum": 9007199254740991,
        "x-sessionvault-extension": true
      },
      "SessionUpsertRequest": {
        "type": "object",
        "required": [
          "sessionuuid",
          "sessiondata"
        ],
        "properties": {
          "sessionuuid": {
            "$ref": "#/components/schemas/SessionUuid"
          },
          "sessiondata": {
            "$ref": "#/components/schemas/SessionData"
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "finaltime": {
            "$ref": "#/components/schemas/FinalTime"
          },
          "usertoken": {
            "description": "Link the session to this user (see \"Linking a session to a user\"); `\"\"` unlinks it.",
            "x-sessionvault-extension": true,
            "oneOf": [
              {
                "$ref": "#/components/schemas/UserToken"
              },
              {
                "const": ""
              }
            ]
          },
          "expectversion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991,
            "description": "Write only if the stored version equals this; 0 means the session must not exist yet.",
            "x-sessionvault-extension": true
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionRefRequest": {
        "type": "object",
        "required": [
          "sessionuuid"
        ],
        "properties": {
          "sessionuuid": {
            "$ref": "#/components/schemas/SessionUuid"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionTouchRequest": {
        "type": "object",
        "required": [
          "sessionuuid"
        ],
        "properties": {
          "sessionuuid": {
            "$ref": "#/components/schemas/SessionUuid"
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionPatchRequest": {
        "type": "object",
        "required": [
          "sessionuuid"
        ],
        "properties": {
          "sessionuuid": {
            "$ref": "#/components/schemas/SessionUuid"
          },
          "set": {
            "$ref": "#/components/schemas/SessionData"
          },
          "unset": {
            "type": "array",
            "maxItems": 1000,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1024
            }
          },
          "create": {
            "type": "boolean",
            "default": false
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "finaltime": {
            "$ref": "#/components/schemas/FinalTime"
          },
          "usertoken": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/UserToken"
              },
              {
                "const": ""
              }
            ]
          },
          "expectversion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionWriteResponse": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "version": {
            "$ref": "#/components/schemas/Version"
          }
        }
      },
      "SessionMeta": {
        "type": "object",
        "x-sessionvault-extension": true,
        "required": [
          "version",
          "created",
          "lastused"
        ],
        "properties": {
          "version": {
            "$ref": "#/components/schemas/Version"
          },
          "created": {
            "type": "integer",
            "description": "Unix time in milliseconds of the first write."
          },
          "lastused": {
            "type": "integer",
            "description": "Unix time in milliseconds of the last read or write."
          },
          "expires": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Unix time in milliseconds when the record expires unless used again; null when it has no window."
          },
          "usertoken": {
            "type": [
              "string",
              "null"
            ],
            "description": "The linked user's token, or null."
          }
        }
      },
      "SessionGetResponse": {
        "allOf": [
          {
            "$ref": "#/components/schemas/SessionMeta"
          },
          {
            "type": "object",
            "required": [
              "status",
              "sessiondata"
            ],
            "properties": {
              "status": {
                "const": "ok"
              },
              "sessiondata": {
                "$ref": "#/components/schemas/SessionData"
              }
            }
          }
        ]
      },
      "SessionTouchResponse": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "expires": {
            "type": [
              "integer",
              "null"
            ]
          }
        }
      },
      "SessionListUserSessionsRequest": {
        "type": "object",
        "required": [
          "mode",
          "identity"
        ],
        "properties": {
          "mode": {
            "$ref": "#/components/schemas/Mode"
          },
          "identity": {
            "$ref": "#/components/schemas/Identity"
          },
          "offset": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "default": 0,
            "x-sessionvault-extension": true
          },
          "limit": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "default": 100,
            "x-sessionvault-extension": true
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionRow": {
        "allOf": [
          {
            "$ref": "#/components/schemas/SessionMeta"
          },
          {
            "type": "object",
            "required": [
              "sessionuuid",
              "sessiondata"
            ],
            "properties": {
              "sessionuuid": {
                "$ref": "#/components/schemas/SessionUuid"
              },
              "sessiondata": {
                "$ref": "#/components/schemas/SessionData"
              }
            }
          }
        ]
      },
      "SessionListUserSessionsResponse": {
        "type": "object",
        "required": [
          "status",
          "rows"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "rows": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SessionRow"
            }
          },
          "total": {
            "type": "integer",
            "minimum": 0,
            "description": "Live sessions of the user in all, before offset and limit.",
            "x-sessionvault-extension": true
          }
        }
      },
      "SessionRevokeUserRequest": {
        "type": "object",
        "required": [
          "mode",
          "identity"
        ],
        "properties": {
          "mode": {
            "$ref": "#/components/schemas/Mode"
          },
          "identity": {
            "$ref": "#/components/schemas/Identity"
          },
          "keep": {
            "type": "array",
            "maxItems": 100,
            "description": "Session ids to leave alone (\"sign out everywhere else\").",
            "items": {
              "$ref": "#/components/schemas/SessionUuid"
            }
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "SessionRevokeUserResponse": {
        "type": "object",
        "required": [
          "status",
          "deleted"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "deleted": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "Profile": {
        "type": "object",
        "description": "Any JSON object. The string fields `login`, `email`, `phone` and `custom`, when\npresent, are identities: unique per tenant and looked up through keyed hashes.\n",
        "additionalProperties": true,
        "properties": {
          "login": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          },
          "email": {
            "type": "string",
            "minLength": 3,
            "maxLength": 1024
          },
          "phone": {
            "type": "string",
            "minLength": 3,
            "maxLength": 64
          },
          "custom": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          }
        }
      },
      "UserCreateRequest": {
        "type": "object",
        "required": [
          "profile"
        ],
        "properties": {
          "profile": {
            "$ref": "#/components/schemas/Profile"
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "finaltime": {
            "$ref": "#/components/schemas/FinalTime"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "UserCreateResponse": {
        "type": "object",
        "required": [
          "status",
          "token"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "token": {
            "$ref": "#/components/schemas/UserToken"
          }
        }
      },
      "UserRefRequest": {
        "type": "object",
        "required": [
          "mode",
          "identity"
        ],
        "properties": {
          "mode": {
            "$ref": "#/components/schemas/Mode"
          },
          "identity": {
            "$ref": "#/components/schemas/Identity"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "UserGetResponse": {
        "type": "object",
        "required": [
          "status",
          "token",
          "profile"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "token": {
            "$ref": "#/components/schemas/UserToken"
          },
          "profile": {
            "$ref": "#/components/schemas/Profile"
          }
        }
      },
      "ProfilePatch": {
        "type": "object",
        "description": "A JSON merge patch for a profile; `null` removes a field.",
        "additionalProperties": true,
        "properties": {
          "login": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 1024
          },
          "email": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 3,
            "maxLength": 1024
          },
          "phone": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 3,
            "maxLength": 64
          },
          "custom": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 1024
          }
        }
      },
      "UserUpdateRequest": {
        "type": "object",
        "required": [
          "mode",
          "identity",
          "profile"
        ],
        "properties": {
          "mode": {
            "$ref": "#/components/schemas/Mode"
          },
          "identity": {
            "$ref": "#/components/schemas/Identity"
          },
          "profile": {
            "$ref": "#/components/schemas/ProfilePatch"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "TokenType": {
        "type": "string",
        "enum": [
          "creditcard",
          "email",
          "phone",
          "ssn",
          "string"
        ],
        "description": "`creditcard` records must be 12–19 digits passing the Luhn check; their\n`tokenbase` is a Luhn-valid number of the same length that keeps the last four\ndigits. Other types get a `tokenbase` of the same length that keeps only the\nseparators ` -/.@+(),` and the class of each character (digit or letter), with at\nleast 64 random bits, else 22 random base64url characters (see \"Token bases\").\n"
      },
      "TokenRecord": {
        "type": "string",
        "minLength": 1,
        "maxLength": 4096
      },
      "TokenCreateRequest": {
        "type": "object",
        "required": [
          "tokentype",
          "record"
        ],
        "properties": {
          "tokentype": {
            "$ref": "#/components/schemas/TokenType"
          },
          "record": {
            "$ref": "#/components/schemas/TokenRecord"
          },
          "unique": {
            "type": "boolean",
            "default": false,
            "description": "Return the existing token when this exact value was tokenized before."
          },
          "baselookup": {
            "type": "boolean",
            "default": false,
            "x-sessionvault-extension": true,
            "description": "Also accept the returned `tokenbase` as a key for `TokenGet` and `TokenDelete`.\nOff by default: a base is guessable (see \"Token bases\" above); without this a\nbase lookup answers 404 like an unknown token.\n"
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "finaltime": {
            "$ref": "#/components/schemas/FinalTime"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "TokenCreateResponse": {
        "type": "object",
        "required": [
          "status",
          "tokenuuid",
          "tokenbase"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "tokenuuid": {
            "type": "string",
            "format": "uuid"
          },
          "tokenbase": {
            "type": "string"
          }
        }
      },
      "TokenRefRequest": {
        "type": "object",
        "required": [
          "token"
        ],
        "properties": {
          "token": {
            "type": "string",
            "minLength": 1,
            "maxLength": 4096,
            "description": "The `tokenuuid`, or the `tokenbase` of a token created with `baselookup`."
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "TokenGetResponse": {
        "type": "object",
        "required": [
          "status",
          "record",
          "tokentype"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "record": {
            "$ref": "#/components/schemas/TokenRecord"
          },
          "tokentype": {
            "$ref": "#/components/schemas/TokenType"
          }
        }
      },
      "TokenCreateBulkRequest": {
        "type": "object",
        "required": [
          "records"
        ],
        "properties": {
          "records": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "items": {
              "type": "object",
              "required": [
                "tokentype",
                "record"
              ],
              "properties": {
                "tokentype": {
                  "$ref": "#/components/schemas/TokenType"
                },
                "record": {
                  "$ref": "#/components/schemas/TokenRecord"
                }
              }
            }
          },
          "unique": {
            "type": "boolean",
            "default": false
          },
          "baselookup": {
            "type": "boolean",
            "default": false,
            "x-sessionvault-extension": true,
            "description": "Also accept every returned `tokenbase` as a key for `TokenGet` and `TokenDelete`.\nOff by default: a base is guessable (see \"Token bases\" above); without this a\nbase lookup answers 404 like an unknown token.\n"
          },
          "slidingtime": {
            "$ref": "#/components/schemas/SlidingTime"
          },
          "finaltime": {
            "$ref": "#/components/schemas/FinalTime"
          },
          "request_metadata": {
            "$ref": "#/components/schemas/RequestMetadata"
          }
        }
      },
      "TokenCreateBulkResponse": {
        "type": "object",
        "required": [
          "status",
          "created"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "created": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "tokenuuid",
                "tokenbase",
                "tokentype"
              ],
              "properties": {
                "tokenuuid": {
                  "type": "string",
                  "format": "uuid"
                },
                "tokenbase": {
                  "type": "string"
                },
                "tokentype": {
                  "$ref": "#/components/schemas/TokenType"
                }
              }
            }
          }
        }
      },
      "V1SessionResponse": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "session": {
            "type": "string",
            "description": "The session id."
          },
          "when": {
            "type": "integer",
            "description": "Unix time in seconds of the last write."
          },
          "data": {
            "$ref": "#/components/schemas/SessionData"
          }
        }
      },
      "V1UserTokenResponse": {
        "type": "object",
        "required": [
          "status",
          "token"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "token": {
            "$ref": "#/components/schemas/UserToken"
          }
        }
      },
      "V1UserGetResponse": {
        "type": "object",
        "required": [
          "status",
          "token",
          "data"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "token": {
            "$ref": "#/components/schemas/UserToken"
          },
          "data": {
            "$ref": "#/components/schemas/Profile"
          }
        }
      },
      "V1UserDeleteResponse": {
        "type": "object",
        "required": [
          "status",
          "result"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "result": {
            "const": "done"
          }
        }
      },
      "V1SessionListResponse": {
        "type": "object",
        "required": [
          "status",
          "total",
          "rows"
        ],
        "properties": {
          "status": {
            "const": "ok"
          },
          "total": {
            "type": "integer",
            "minimum": 0,
            "description": "The user's live sessions in all, before offset and limit."
          },
          "rows": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "session",
                "data"
              ],
              "properties": {
                "session": {
                  "type": "string"
                },
                "when": {
                  "type": "integer"
                },
                "data": {
                  "$ref": "#/components/schemas/SessionData"
                }
              }
            }
          }
        }
      }
    }
  }
};

export type Contract = typeof contract;
