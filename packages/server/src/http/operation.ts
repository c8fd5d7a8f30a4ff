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
 * error is rethrown for the reply mapping. The event of a write or delete goes into
 * storage with the first write the operation applies, in the same transaction: the
 * write and its event are both stored or neither is (a failing audit insert fails the
 * request). An operation that applied no write (nothing to delete, a refused
 * compare-and-set) and every failure are recorded on their own, after the reply.
 */
export async function runAudited(
  service: VaultService,
  audit: AuditRecorder,
  ctx: CallContext,
  name: string,
  operation: Operation,
  body: Json,
): Promise<Json> {
  const base = () => ({
    actor: ctx.actor,
    action: name,
    tenant: service.keys.auditTenant(ctx),
    ...auditMetadata(body),
  });
  if (operation.kind !== "write" && operation.kind !== "delete") {
    try {
      const { result, target } = await operation.run(ctx, body);
      audit.record(operation.kind, () => ({ ...base(), target: target ? target() : null, outcome: "ok" }));
      return result;
    } catch (error) {
      audit.record(operation.kind, () => ({ ...base(), target: null, outcome: outcomeOf(error) }));
      throw error;
    }
  }
  try {
    const { value, slot } = await audit.withSlot(operation.kind, base, () => operation.run(ctx, body));
    const { result, target } = value;
    if (slot && !slot.written) audit.append({ ...slot.base, target: target ? target() : null, outcome: "ok" });
    return result;
  } catch (error) {
    audit.record(operation.kind, () => ({ ...base(), target: null, outcome: outcomeOf(error) }));
    throw error;
  }
}
