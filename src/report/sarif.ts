import type { Severity } from '../catalog/types.js';
import type { Report, Result } from '../evaluate/report.js';
import type { Finding } from '../facts/evidence.js';
import { locate } from './text.js';
import { modeLabel, sectionLabel } from './view.js';
import { jsonDisplaySafe } from './text.js';

/**
 * SARIF 2.1.0 (OASIS). One rule per requirement of the report (shortDescription = title, help =
 * remediation, properties: severity, section, controls). Results only for fail, warn and waived:
 * one per finding located in a file (physicalLocation: uri relative to the TARGETROOT base, region
 * startLine when the line is known, the excerpt as snippet); a result whose evidence names no file
 * (a command, a default) gives one result located at the Rampart config file with a logical location
 * naming host and requirement (code scanning drops results without a physical location).
 *
 * Levels: fail → error for critical and high, warning for medium and low, note for info;
 * warn → warning; waived → the level the failure would have, with an external, accepted suppression
 * whose justification is the waiver's reason.
 */

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where a rule's helpUri points (placeholder until the project has a public home: set it here). */
export const DOCS_URL = 'https://rampart.example.org/requirements';

/**
 * Host-level findings (a command's output, a default, a missing package) have no file that decided
 * them, but code scanning drops a result without a physical location. They point at the Rampart
 * config file, where such a finding is waived or tuned, plus a logical location naming the host and
 * the requirement.
 */
const HOST_LEVEL_FILE = 'etc/rampart/config.yaml';

type Level = 'error' | 'warning' | 'note';

function failLevel(s: Severity): Level {
  return s === 'critical' || s === 'high' ? 'error' : s === 'info' ? 'note' : 'warning';
}

/** GitHub code scanning's 0–10 scale (security-severity), for its severity column. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** Each path segment percent-encoded (RFC 3986), so `<`, spaces or a newline in a file name give a valid URI. */
export function pathToUri(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function rootUri(root: string): string {
  const p = pathToUri(root);
  return p === '' ? 'file:///' : `file:///${p.replace(/\/?$/, '/')}`;
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: string };
    region?: { startLine: number; snippet?: { text: string } };
  };
}

function location(f: Finding & { path: string }): SarifLocation {
  const region = f.line !== null && f.line >= 1 ? { startLine: f.line, ...(f.excerpt ? { snippet: { text: f.excerpt } } : {}) } : undefined;
  return { physicalLocation: { artifactLocation: { uri: pathToUri(f.path), uriBaseId: 'TARGETROOT' }, ...(region ? { region } : {}) } };
}

function messageText(r: Result, f: Finding | null): string {
  if (!f) return r.summary;
  const parts = [r.summary];
  if (f.message && f.message !== r.summary) parts.push(f.message);
  if (!f.path) {
    const where = locate(f);
    if (where) parts.push(where);
    if (f.excerpt) parts.push(f.excerpt);
  }
  return parts.join(' — ');
}

export function renderSarif(report: Report): string {
  const ruleIndex = new Map(report.results.map((r, i) => [r.id, i]));
  const rules = report.results.map((r) => ({
    id: r.id,
    name: r.id,
    shortDescription: { text: r.title },
    fullDescription: { text: `${sectionLabel(r.section)}: ${r.title}` },
    help: { text: r.remediation },
    helpUri: `${DOCS_URL}#${encodeURIComponent(r.id)}`,
    defaultConfiguration: { level: failLevel(r.severity) },
    properties: {
      severity: r.severity,
      section: r.section,
      kind: r.kind,
      controls: r.controls,
      tags: [
        'security',
        `section-${r.section}`,
        ...r.controls['iso27001:2013'].map((c) => `iso27001:2013/${c}`),
        ...r.controls['iso27001:2022'].map((c) => `iso27001:2022/${c}`),
        ...r.controls.gdpr.map((c) => `gdpr/${c}`),
      ],
      'security-severity': SECURITY_SEVERITY[r.severity],
    },
  }));

  const results: object[] = [];
  for (const r of report.results) {
    if (r.status !== 'fail' && r.status !== 'warn' && r.status !== 'waived') continue;
    const level: Level = r.status === 'warn' ? 'warning' : failLevel(r.severity);
    const suppressions =
      r.status === 'waived'
        ? [
            {
              kind: 'external',
              status: 'accepted',
              justification: r.waiver?.reason ?? 'waived',
              ...(r.waiver ? { properties: { approvedBy: r.waiver.approvedBy, expires: r.waiver.expires, source: r.waiver.source } } : {}),
            },
          ]
        : undefined;
    const base = {
      ruleId: r.id,
      ruleIndex: ruleIndex.get(r.id) ?? 0,
      level,
      properties: { status: r.status, severity: r.severity, ...(r.waiver?.state === 'expired' ? { waiverExpired: r.waiver.expires } : {}) },
      ...(suppressions ? { suppressions } : {}),
    };
    const inFiles = r.findings.filter((f): f is Finding & { path: string } => f.path !== null && f.path !== '');
    if (inFiles.length === 0) {
      const first = r.findings[0] ?? null;
      results.push({
        ...base,
        message: { text: messageText(r, first) },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: HOST_LEVEL_FILE, uriBaseId: 'TARGETROOT' }, region: { startLine: 1 } },
            logicalLocations: [{ name: r.id, fullyQualifiedName: `${report.target.name}/${r.id}`, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'rampartFinding/v1': `${r.id}|host` },
      });
      continue;
    }
    // Stable across edits that move lines: the requirement, the file and the n-th finding in it.
    const seen = new Map<string, number>();
    for (const f of inFiles) {
      const n = (seen.get(f.path) ?? 0) + 1;
      seen.set(f.path, n);
      results.push({
        ...base,
        message: { text: messageText(r, f) },
        locations: [location(f)],
        partialFingerprints: { 'rampartFinding/v1': `${r.id}|${f.path}${n > 1 ? `|${n}` : ''}` },
      });
    }
  }

  const end = new Date(Date.parse(report.startedAt) + report.durationMs);
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'rampart', version: report.tool.version, semanticVersion: report.tool.version, informationUri: DOCS_URL, rules },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            ...(Number.isNaN(end.getTime()) ? {} : { endTimeUtc: end.toISOString() }),
            machine: report.target.name,
            properties: { target: report.target, profile: report.profile, mode: modeLabel(report.live), collectedAt: report.collectedAt },
          },
        ],
        originalUriBaseIds: {
          TARGETROOT: { uri: rootUri(report.target.root), description: { text: 'The root of the audited file system' } },
        },
        results,
        properties: { summary: report.summary, score: report.score },
      },
    ],
  };
  return `${jsonDisplaySafe(JSON.stringify(log, null, 2))}\n`;
}
