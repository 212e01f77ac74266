import { z } from 'zod';
import { STATUSES } from '../checks/verdict.js';
import { SEVERITIES } from '../catalog/types.js';

const Finding = z.object({
  message: z.string(),
  path: z.string().nullable(),
  line: z.number().int().nullable(),
  command: z.string().nullable(),
  excerpt: z.string().nullable(),
});

const Status = z.enum(STATUSES as [string, ...string[]]);

/** The JSON report, schema version 1 (DESIGN.md). Fields may be added, never renamed or removed. */
export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('rampart'), version: z.string() }),
  target: z.object({
    kind: z.enum(['local', 'root', 'ssh', 'facts']),
    name: z.string(),
    nameFrom: z.string().optional(),
    root: z.string(),
  }),
  profile: z.enum(['guide', 'strict']),
  live: z.boolean(),
  startedAt: z.string(),
  collectedAt: z.string(),
  durationMs: z.number(),
  batch: z
    .object({
      roundTrips: z.number().int(),
      batches: z.array(z.number().int()),
      requests: z.number().int(),
      bytes: z.number().int(),
      served: z.number().int(),
      direct: z.record(z.string(), z.number().int()),
    })
    .optional(),
  results: z.array(
    z.object({
      id: z.string(),
      section: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES as [string, ...string[]]),
      kind: z.enum(['automated', 'evidence', 'attestation']),
      status: Status,
      summary: z.string(),
      findings: z.array(Finding),
      remediation: z.string(),
      controls: z.object({ 'iso27001:2013': z.array(z.string()), 'iso27001:2022': z.array(z.string()), gdpr: z.array(z.string()) }),
      collectMs: z.number().optional(),
      waiver: z
        .object({
          reason: z.string(),
          approvedBy: z.string().nullable(),
          expires: z.string().nullable(),
          state: z.enum(['active', 'expired']),
          source: z.string().nullable(),
        })
        .optional(),
    }),
  ),
  score: z.object({ beforeWaivers: z.number().nullable(), afterWaivers: z.number().nullable() }),
  trend: z.array(
    z.object({ runId: z.string(), startedAt: z.string(), score: z.number().nullable(), summary: z.record(z.string(), z.number()) }),
  ),
  summary: z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number().int()])) as Record<string, z.ZodNumber>),
  compliance: z
    .object({
      framework: z.enum(['iso27001:2013', 'iso27001:2022', 'gdpr']),
      controls: z.array(
        z.object({ id: z.string(), status: z.enum(['pass', 'fail', 'incomplete', 'na']), requirements: z.array(z.string()) }),
      ),
    })
    .optional(),
});

export function reportJsonSchema(): unknown {
  return {
    $id: 'https://rampart.invalid/schema/report-v1.json',
    title: 'Rampart audit report, schema version 1',
    ...z.toJSONSchema(ReportSchema),
  };
}
