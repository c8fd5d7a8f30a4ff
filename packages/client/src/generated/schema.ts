// generated — do not edit.
// Source: openapi/sessionvault.yaml. Regenerate with `pnpm --filter @sessionvault/client run generate`;
// CI fails when this file drifts from the contract (`run check:generated`).
/* eslint-disable */

export interface paths {
    "/v2/SessionUpsert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create or replace a session record. */
        post: operations["SessionUpsert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionGet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a session record; a read extends its sliding window. */
        post: operations["SessionGet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionDelete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete a session record. Deleting a missing session succeeds. */
        post: operations["SessionDelete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionListUserSessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** List a user's live sessions, most recently used first. */
        post: operations["SessionListUserSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionTouch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend a session's sliding window without sending its data.
         * @description Moves the expiry to now plus the sliding window (capped by `finaltime`). With
         *     `slidingtime`, that becomes the session's window from now on: later reads and
         *     writes slide by it too. A touch never changes the session's data or `version`.
         */
        post: operations["SessionTouch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionPatch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge top-level keys into a session (set and unset), atomically.
         * @description Keys in `set` replace the stored value of that key; keys in `unset` are removed;
         *     every other key keeps its stored value. The merge happens inside the vault in
         *     one atomic step, so concurrent patches that touch different keys never lose a
         *     change. When two patches set the same key, the one the vault applies last wins;
         *     use `expectversion` to detect that instead. A patch on a missing session creates
         *     it when `create` is true, otherwise it answers 404.
         */
        post: operations["SessionPatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/SessionRevokeUser": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete every session of a user in one call ("sign out everywhere"). */
        post: operations["SessionRevokeUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/UserCreate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Store a PII profile encrypted; returns the token that stands in for it. */
        post: operations["UserCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/UserGet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a profile by any of its identities. */
        post: operations["UserGet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/UserUpdate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge changes into a profile (JSON merge patch); its token stays the same.
         * @description `profile` is a JSON merge patch (RFC 7396), as in Databunker: fields it leaves out
         *     are kept, `null` removes a field, nested objects merge. Identity lookups follow the
         *     merged profile: a changed `email` is found by its new value only.
         */
        post: operations["UserUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/UserDelete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete a profile, its identity indexes and its sessions.
         * @description Ends every session linked to the user as well (erasure), then deletes the profile and its identity indexes.
         */
        post: operations["UserDelete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/TokenCreate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace one sensitive value with a token. */
        post: operations["TokenCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/TokenGet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read the value behind a token (its `tokenuuid`, or its `tokenbase` if created with `baselookup`). */
        post: operations["TokenGet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/TokenDelete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete a token and its value. */
        post: operations["TokenDelete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/TokenCreateBulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tokenize many values in one call, in order. */
        post: operations["TokenCreateBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness. Needs no token. */
        get: operations["Health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness. 503 while storage is unreachable or the vault is draining. Needs no token. */
        get: operations["Ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/{uuid}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: components["parameters"]["V1SessionUuid"];
            };
            cookie?: never;
        };
        /** Databunker OSS compatibility. Read a session. */
        get: operations["V1SessionGet"];
        put?: never;
        /**
         * Databunker OSS compatibility. Store the request body as the session's data.
         * @description Compatibility surface over the same storage as `/v2/Session*`. The body is a
         *     JSON object stored whole as `sessiondata`. As in Databunker OSS, a top-level
         *     `expiration` sets an absolute expiry: `30s`, `2h`, `7d`, `1m` (a month of 31 days),
         *     or a bare number of seconds from now (a unix time in seconds when it is later than
         *     now); a value in any other form is ignored. A top-level string `token`, `login`,
         *     `email`, `phone` or `custom` links the session to that user when such a user
         *     exists. Query parameters may carry `slidingtime` or `finaltime`, as for
         *     `SessionUpsert`; a `finaltime` there wins over `expiration`.
         */
        post: operations["V1SessionSet"];
        /** Databunker OSS compatibility. Delete a session. */
        delete: operations["V1SessionDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{mode}/{identity}": {
        parameters: {
            query?: {
                offset?: number;
                limit?: number;
            };
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        /** Databunker OSS compatibility. List a user's sessions, most recently used first, `limit` (10) from `offset`. */
        get: operations["V1SessionList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Databunker OSS compatibility. Store the request body as a new user's profile.
         * @description As `UserCreate`; the body is the profile. A taken identity is 409.
         */
        post: operations["V1UserCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/user/{mode}/{identity}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        /** Databunker OSS compatibility. Read a user's profile as `{status, token, data}`. */
        get: operations["V1UserGet"];
        /** Databunker OSS compatibility. Merge the body into the profile (JSON merge patch), as `UserUpdate`. */
        put: operations["V1UserUpdate"];
        post?: never;
        /** Databunker OSS compatibility. Delete a user's profile and identities. */
        delete: operations["V1UserDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        OkResponse: {
            /** @constant */
            status: "ok";
        };
        ErrorResponse: {
            /** @constant */
            status: "error";
            /** @description Human-readable; never contains tokens, session ids, session data or PII. */
            message: string;
        };
        /** @description Caller context for the audit log. Only the allow-listed fields in their shapes are kept (see "Audit metadata"); every other field is dropped, never stored. */
        RequestMetadata: {
            [key: string]: unknown;
        };
        /** @description The opaque session id from the cookie. Stored only as a keyed hash. */
        SessionUuid: string;
        /** @description Any JSON object. */
        SessionData: {
            [key: string]: unknown;
        };
        /**
         * Format: uuid
         * @description A user's vault token, as returned by `UserCreate`.
         */
        UserToken: string;
        /** @enum {string} */
        Mode: "token" | "login" | "email" | "phone" | "custom";
        Identity: string;
        /**
         * @description A duration such as `30s`, `30m` (minutes), `1h`, `7d` or `1y` (365 days): at most 999999999s, 99999999m, 9999999h, 999999d or 9999y, so every expiry it yields is a safe integer of unix milliseconds.
         * @example 30m
         * @example 1h
         * @example 7d
         */
        Duration: string;
        SlidingTime: components["schemas"]["Duration"];
        /**
         * @description A duration from the first write, or a number (or digit string) read as Databunker
         *     reads it: a unix timestamp in seconds when it is later than now, else a number of
         *     seconds from the first write; a number of 1000000000 or more (September 2001 on)
         *     is always a timestamp. The time it names must lie in the future, or the request is
         *     a 400.
         */
        FinalTime: components["schemas"]["Duration"] | number | string;
        Version: number;
        SessionUpsertRequest: {
            sessionuuid: components["schemas"]["SessionUuid"];
            sessiondata: components["schemas"]["SessionData"];
            slidingtime?: components["schemas"]["SlidingTime"];
            finaltime?: components["schemas"]["FinalTime"];
            /** @description Link the session to this user (see "Linking a session to a user"); `""` unlinks it. */
            usertoken?: components["schemas"]["UserToken"] | "";
            /** @description Write only if the stored version equals this; 0 means the session must not exist yet. */
            expectversion?: number;
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionRefRequest: {
            sessionuuid: components["schemas"]["SessionUuid"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionTouchRequest: {
            sessionuuid: components["schemas"]["SessionUuid"];
            slidingtime?: components["schemas"]["SlidingTime"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionPatchRequest: {
            sessionuuid: components["schemas"]["SessionUuid"];
            set?: components["schemas"]["SessionData"];
            unset?: string[];
            /** @default false */
            create?: boolean;
            slidingtime?: components["schemas"]["SlidingTime"];
            finaltime?: components["schemas"]["FinalTime"];
            usertoken?: components["schemas"]["UserToken"] | "";
            expectversion?: number;
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionWriteResponse: {
            /** @constant */
            status: "ok";
            version?: components["schemas"]["Version"];
        };
        SessionMeta: {
            version: components["schemas"]["Version"];
            /** @description Unix time in milliseconds of the first write. */
            created: number;
            /** @description Unix time in milliseconds of the last read or write. */
            lastused: number;
            /** @description Unix time in milliseconds when the record expires unless used again; null when it has no window. */
            expires?: number | null;
            /** @description The linked user's token, or null. */
            usertoken?: string | null;
        };
        SessionGetResponse: components["schemas"]["SessionMeta"] & {
            /** @constant */
            status: "ok";
            sessiondata: components["schemas"]["SessionData"];
        };
        SessionTouchResponse: {
            /** @constant */
            status: "ok";
            expires?: number | null;
        };
        SessionListUserSessionsRequest: {
            mode: components["schemas"]["Mode"];
            identity: components["schemas"]["Identity"];
            /** @default 0 */
            offset?: number;
            /** @default 100 */
            limit?: number;
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionRow: components["schemas"]["SessionMeta"] & {
            sessionuuid: components["schemas"]["SessionUuid"];
            sessiondata: components["schemas"]["SessionData"];
        };
        SessionListUserSessionsResponse: {
            /** @constant */
            status: "ok";
            rows: components["schemas"]["SessionRow"][];
            /** @description Live sessions of the user in all, before offset and limit. */
            total?: number;
        };
        SessionRevokeUserRequest: {
            mode: components["schemas"]["Mode"];
            identity: components["schemas"]["Identity"];
            /** @description Session ids to leave alone ("sign out everywhere else"). */
            keep?: components["schemas"]["SessionUuid"][];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        SessionRevokeUserResponse: {
            /** @constant */
            status: "ok";
            deleted: number;
        };
        /**
         * @description Any JSON object. The string fields `login`, `email`, `phone` and `custom`, when
         *     present, are identities: unique per tenant and looked up through keyed hashes.
         */
        Profile: {
            login?: string;
            email?: string;
            phone?: string;
            custom?: string;
        } & {
            [key: string]: unknown;
        };
        UserCreateRequest: {
            profile: components["schemas"]["Profile"];
            slidingtime?: components["schemas"]["SlidingTime"];
            finaltime?: components["schemas"]["FinalTime"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        UserCreateResponse: {
            /** @constant */
            status: "ok";
            token: components["schemas"]["UserToken"];
        };
        UserRefRequest: {
            mode: components["schemas"]["Mode"];
            identity: components["schemas"]["Identity"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        UserGetResponse: {
            /** @constant */
            status: "ok";
            token: components["schemas"]["UserToken"];
            profile: components["schemas"]["Profile"];
        };
        /** @description A JSON merge patch for a profile; `null` removes a field. */
        ProfilePatch: {
            login?: string | null;
            email?: string | null;
            phone?: string | null;
            custom?: string | null;
        } & {
            [key: string]: unknown;
        };
        UserUpdateRequest: {
            mode: components["schemas"]["Mode"];
            identity: components["schemas"]["Identity"];
            profile: components["schemas"]["ProfilePatch"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        /**
         * @description `creditcard` records must be 12–19 digits passing the Luhn check; their
         *     `tokenbase` is a Luhn-valid number of the same length that keeps the last four
         *     digits. Other types get a `tokenbase` of the same length that keeps only the
         *     separators ` -/.@+(),` and the class of each character (digit or letter), with at
         *     least 64 random bits, else 22 random base64url characters (see "Token bases").
         * @enum {string}
         */
        TokenType: "creditcard" | "email" | "phone" | "ssn" | "string";
        TokenRecord: string;
        TokenCreateRequest: {
            tokentype: components["schemas"]["TokenType"];
            record: components["schemas"]["TokenRecord"];
            /**
             * @description Return the existing token when this exact value was tokenized before.
             * @default false
             */
            unique?: boolean;
            /**
             * @description Also accept the returned `tokenbase` as a key for `TokenGet` and `TokenDelete`.
             *     Off by default: a base is guessable (see "Token bases" above); without this a
             *     base lookup answers 404 like an unknown token.
             * @default false
             */
            baselookup?: boolean;
            slidingtime?: components["schemas"]["SlidingTime"];
            finaltime?: components["schemas"]["FinalTime"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        TokenCreateResponse: {
            /** @constant */
            status: "ok";
            /** Format: uuid */
            tokenuuid: string;
            tokenbase: string;
        };
        TokenRefRequest: {
            /** @description The `tokenuuid`, or the `tokenbase` of a token created with `baselookup`. */
            token: string;
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        TokenGetResponse: {
            /** @constant */
            status: "ok";
            record: components["schemas"]["TokenRecord"];
            tokentype: components["schemas"]["TokenType"];
        };
        TokenCreateBulkRequest: {
            records: {
                tokentype: components["schemas"]["TokenType"];
                record: components["schemas"]["TokenRecord"];
            }[];
            /** @default false */
            unique?: boolean;
            /**
             * @description Also accept every returned `tokenbase` as a key for `TokenGet` and `TokenDelete`.
             *     Off by default: a base is guessable (see "Token bases" above); without this a
             *     base lookup answers 404 like an unknown token.
             * @default false
             */
            baselookup?: boolean;
            slidingtime?: components["schemas"]["SlidingTime"];
            finaltime?: components["schemas"]["FinalTime"];
            request_metadata?: components["schemas"]["RequestMetadata"];
        };
        TokenCreateBulkResponse: {
            /** @constant */
            status: "ok";
            created: {
                /** Format: uuid */
                tokenuuid: string;
                tokenbase: string;
                tokentype: components["schemas"]["TokenType"];
            }[];
        };
        V1SessionResponse: {
            /** @constant */
            status: "ok";
            /** @description The session id. */
            session?: string;
            /** @description Unix time in seconds of the last write. */
            when?: number;
            data?: components["schemas"]["SessionData"];
        };
        V1UserTokenResponse: {
            /** @constant */
            status: "ok";
            token: components["schemas"]["UserToken"];
        };
        V1UserGetResponse: {
            /** @constant */
            status: "ok";
            token: components["schemas"]["UserToken"];
            data: components["schemas"]["Profile"];
        };
        V1UserDeleteResponse: {
            /** @constant */
            status: "ok";
            /** @constant */
            result: "done";
        };
        V1SessionListResponse: {
            /** @constant */
            status: "ok";
            /** @description The user's live sessions in all, before offset and limit. */
            total: number;
            rows: {
                session: string;
                when?: number;
                data: components["schemas"]["SessionData"];
            }[];
        };
    };
    responses: {
        /** @description The body is not JSON, a field is missing or of the wrong type, or a value is out of range. The message names the field. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The access token is missing or wrong. Checked before anything else. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The record does not exist or has expired (the two are indistinguishable), or the operation is unknown. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The operation exists but was called with a method other than POST. */
        MethodNotAllowed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description A uniqueness or version check failed. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /**
         * @description Other vault instances kept winning the race for this record and the vault gave
         *     up for now. Nothing was written; retry after the number of seconds in
         *     `Retry-After`.
         */
        Busy: {
            headers: {
                /** @description Seconds to wait before retrying. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description The body is larger than the vault's limit (1 MiB by default). */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
        /** @description A fault inside the vault or its storage. Never caused by client input. */
        ServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorResponse"];
            };
        };
    };
    parameters: {
        V1SessionUuid: components["schemas"]["SessionUuid"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    SessionUpsert: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionUpsertRequest"];
            };
        };
        responses: {
            /** @description Stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionWriteResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    SessionGet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionRefRequest"];
            };
        };
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionGetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    SessionDelete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionRefRequest"];
            };
        };
        responses: {
            /** @description Deleted, or was not there. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    SessionListUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionListUserSessionsRequest"];
            };
        };
        responses: {
            /** @description The user's live sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionListUserSessionsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    SessionTouch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionTouchRequest"];
            };
        };
        responses: {
            /** @description Extended. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionTouchResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    SessionPatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionPatchRequest"];
            };
        };
        responses: {
            /** @description Merged. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionWriteResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    SessionRevokeUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionRevokeUserRequest"];
            };
        };
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionRevokeUserResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    UserCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreateRequest"];
            };
        };
        responses: {
            /** @description Created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserCreateResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    UserGet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRefRequest"];
            };
        };
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserGetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    UserUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdateRequest"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    UserDelete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRefRequest"];
            };
        };
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    TokenCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreateRequest"];
            };
        };
        responses: {
            /** @description Created (or, with `unique`, the existing token for that value). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreateResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    TokenGet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRefRequest"];
            };
        };
        responses: {
            /** @description The value. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenGetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    TokenDelete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenRefRequest"];
            };
        };
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
        };
    };
    TokenCreateBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenCreateBulkRequest"];
            };
        };
        responses: {
            /** @description Created, in the order of `records`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenCreateBulkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    Health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
        };
    };
    Ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            /** @description Not ready. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    V1SessionGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: components["parameters"]["V1SessionUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1SessionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["ServerError"];
        };
    };
    V1SessionSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: components["parameters"]["V1SessionUuid"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SessionData"];
            };
        };
        responses: {
            /** @description Stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1SessionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    V1SessionDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uuid: components["parameters"]["V1SessionUuid"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, or was not there. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["ServerError"];
        };
    };
    V1SessionList: {
        parameters: {
            query?: {
                offset?: number;
                limit?: number;
            };
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's live sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1SessionListResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["ServerError"];
        };
    };
    V1UserCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Profile"];
            };
        };
        responses: {
            /** @description Created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1UserTokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    V1UserGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1UserGetResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["ServerError"];
        };
    };
    V1UserUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfilePatch"];
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1UserTokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["ServerError"];
            503: components["responses"]["Busy"];
        };
    };
    V1UserDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mode: components["schemas"]["Mode"];
                identity: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["V1UserDeleteResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["ServerError"];
        };
    };
}
