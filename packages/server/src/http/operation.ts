import type { AuditKind, AuditRecorder } from "../core/audit.js";
import { scrubAuditMetadata } from "../core/audit-metadata.js";
import type { CallContext } from "../core/context.js";
import type { VaultService } from "../core/service.js";
import { outcomeOf } from "./error-mapping.js";

type Json = Record<string, unknown>;

/** One operation as served over HTTP: what it is for the audit log, and how it runs. */
export interface Operation {
  kind: AuditKind;
  /** `target` is computed only if the audit log keeps the event. */
  run(ctx: CallContext, body: Json): Promise<{ result: Json; target: (() => string) | null }>;
}

/** The caller's `request_metadata` as the audit log keeps it (scrubbed), if any is left. */
function auditMetadata(body: Json): { metadata?: Record<string, unknown> } {
  const metadata = scrubAuditMetadata(body.request_metadata);
  return metadata ? { metadata } : {};
}

/**
 * Runs an operation and records its outcome in the audit log, success or failure; the
 * error is rethrown for the reply mapping.
 */
export async function runAudited(
  service: VaultService,
  audit: AuditRecorder,
  ctx: CallContext,
  name: string,
  operation: Operation,
  body: Json,
): Promise<Json> {
  try {
    const { result, target } = await operation.run(ctx, body);
    audit.record(operation.kind, () => ({
      actor: ctx.actor,
      action: name,
      target: target ? target() : null,
      outcome: "ok",
      tenant: service.keys.auditTenant(ctx),
      ...auditMetadata(body),
    }));
    return result;
  } catch (error) {
    audit.record(operation.kind, () => ({
      actor: ctx.actor,
      action: name,
      target: null,
      outcome: outcomeOf(error),
      tenant: service.keys.auditTenant(ctx),
      ...auditMetadata(body),
    }));
    throw error;
  }
}
