import { z } from 'zod';
import { SNAPSHOT_VERSION, type FactsSnapshot } from '../facts/index.js';
import { validateConfig } from '../config/schema.js';
import { UsageError } from './errors.js';

const FactEnvelope = z.discriminatedUnion('state', [
  z.object({ state: z.literal('collected'), value: z.unknown() }),
  z.object({ state: z.literal('absent'), reason: z.string() }),
  z.object({ state: z.literal('failed'), reason: z.string() }),
]);

const BatchStatsSchema = z.object({
  roundTrips: z.number().int(),
  batches: z.array(z.number().int()),
  requests: z.number().int(),
  bytes: z.number().int(),
  served: z.number().int(),
  direct: z.record(z.string(), z.number().int()),
});

const SnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_VERSION),
  tool: z.object({ name: z.literal('rampart'), version: z.string() }),
  collectedAt: z.iso.datetime(),
  target: z.object({ kind: z.enum(['local', 'root', 'ssh', 'facts']), name: z.string(), root: z.string() }),
  live: z.boolean(),
  config: z.unknown(),
  timings: z.record(z.string(), z.number()),
  batch: BatchStatsSchema.optional(),
  facts: z.record(z.string(), FactEnvelope),
});

/**
 * Reads a saved snapshot. The envelope and the configuration are validated; fact values are the
 * collectors' plain data, trusted as written by the same schema version.
 */
export function parseSnapshot(text: string, file: string): FactsSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not a facts snapshot (invalid JSON: ${e instanceof Error ? e.message : String(e)})`);
  }
  const r = SnapshotSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(
      `${file}: not a facts snapshot of schema version ${SNAPSHOT_VERSION}: ${i.path.join('.') || '(top level)'}: ${i.message}`,
    );
  }
  const cfg = validateConfig(r.data.config);
  if (!cfg.ok) throw new UsageError(`${file}: the recorded configuration is invalid: ${cfg.issues[0]!.path}: ${cfg.issues[0]!.message}`);
  return { ...(r.data as unknown as FactsSnapshot), config: cfg.config };
}

export function serializeSnapshot(s: FactsSnapshot): string {
  return `${JSON.stringify(s, null, 1)}\n`;
}
