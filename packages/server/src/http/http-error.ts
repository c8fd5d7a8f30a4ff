/**
 * An error the vault answers with its own status and a message that is safe to show:
 * it never carries tokens, session ids, session data or PII. Raised by the HTTP layer
 * itself (body limits, JSON syntax, contract validation); domain errors from `core/`
 * are mapped onto it in `error-mapping.ts`.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    /** Short class for the audit log, e.g. "not_found". */
    readonly outcome: string = outcomeFor(status),
    /** Extra reply headers, e.g. `retry-after`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function outcomeFor(status: number): string {
  switch (status) {
    case 400:
      return "invalid";
    case 403:
      return "denied";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 503:
      return "busy";
    default:
      return "error";
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
