import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { renderSarif, pathToUri } from '../../src/report/sarif.js';
import type { Report } from '../../src/evaluate/report.js';
import { runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';
import { bigReport, finding, fixtureReport, reportOf, result, XSS_NAME } from './fixture.js';
import { SCHEMAS_DIR } from './golden.js';

// The published SARIF 2.1.0 schema (draft-07), vendored: see test/fixtures/schemas/SOURCE.md.
const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'sarif-schema-2.1.0.json'), 'utf8')) as object;

// ajv ships no format validators (ajv-formats is a separate package): the three the schema uses, after RFC 3986 and RFC 3339.
const URI_CHARS = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*`;
// strictRequired off: the published schema's anyOf branches name required properties declared one level up.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addFormat('uri-reference', new RegExp(`^${URI_CHARS}$`));
ajv.addFormat('uri', new RegExp(`^[A-Za-z][A-Za-z0-9+.-]*:${URI_CHARS}$`));
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const validate = ajv.compile(schema);

interface SarifLog {
  runs: {
    tool: {
      driver: {
        rules: {
          id: string;
          shortDescription: { text: string };
          help: { text: string };
          properties: { severity: string; controls: Record<string, string[]> };
        }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }[];
      suppressions?: { kind: string; status: string; justification: string }[];
    }[];
    originalUriBaseIds: Record<string, { uri: string }>;
  }[];
}

function assertValid(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  const ok = validate(log);
  assert.ok(ok, `SARIF does not validate: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  return log;
}

test('the schema check can fail: a result without a message, a level outside the enum, a bad URI', () => {
  const log = JSON.parse(renderSarif(fixtureReport())) as SarifLog;
  const r = log.runs[0]!.results[0]!;
  for (const broken of [
    { ...r, message: undefined },
    { ...r, level: 'critical' },
    { ...r, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b<c>', uriBaseId: 'TARGETROOT' } } }] },
  ]) {
    const copy = structuredClone(log);
    copy.runs[0]!.results[0] = broken as typeof r;
    assert.equal(validate(copy), false, JSON.stringify(broken).slice(0, 120));
  }
});

test('the fixture report is valid SARIF 2.1.0', () => {
  assertValid(renderSarif(fixtureReport()));
});

test('one rule per requirement with title, remediation, severity and controls', () => {
  const report = fixtureReport();
  const run = assertValid(renderSarif(report)).runs[0]!;
  const rules = run.tool.driver.rules;
  assert.deepEqual(
    rules.map((r) => r.id),
    report.results.map((r) => r.id),
  );
  const root = rules.find((r) => r.id === 'ssh.root-login-disabled')!;
  assert.equal(root.shortDescription.text, 'Root login over SSH is disabled');
  assert.equal(root.help.text, 'Remediation for ssh.root-login-disabled');
  assert.equal(root.properties.severity, 'critical');
  assert.deepEqual(root.properties.controls['iso27001:2022'], ['8.2']);
  for (const res of run.results) assert.equal(rules[res.ruleIndex]!.id, res.ruleId);
});

test('levels: fail by severity, warn → warning, waived → suppressed with the reason; pass/na/unknown/manual give no result', () => {
  const run = assertValid(renderSarif(fixtureReport())).runs[0]!;
  const by = (id: string) => run.results.filter((r) => r.ruleId === id);
  assert.equal(by('ssh.root-login-disabled')[0]!.level, 'error'); // critical fail
  assert.equal(by('patch.pending-security-updates')[0]!.level, 'error'); // high fail
  assert.equal(by('fw.allowed-ports-only')[0]!.level, 'warning'); // warn
  assert.equal(by('ssh.strong-crypto')[0]!.level, 'warning'); // medium warn
  const waived = by('accounts.sudo-for-admin');
  assert.equal(waived.length, 1);
  assert.deepEqual(waived[0]!.suppressions, [
    {
      kind: 'external',
      status: 'accepted',
      justification: 'Legacy host, decommissioned in Q1 <b>2027</b>',
      properties: { approvedBy: 'Security lead', expires: '2027-03-31', source: '/etc/rampart/config.yaml:12' },
    },
  ]);
  assert.equal(by('accounts.least-privilege')[0]!.suppressions, undefined, 'an expired waiver suppresses nothing');
  for (const id of ['patch.auto-security-updates', 'fs.encryption-at-rest', 'fs.mandatory-access-control', 'patch.weekly-review'])
    assert.equal(by(id).length, 0, id);
});

test('file findings carry physicalLocation (encoded URI, startLine); command-only evidence gives one result at the config file with a logical location', () => {
  const run = assertValid(renderSarif(fixtureReport())).runs[0]!;
  const root = run.results.find((r) => r.ruleId === 'ssh.root-login-disabled')!;
  assert.deepEqual(root.locations, [
    {
      physicalLocation: {
        artifactLocation: { uri: 'etc/ssh/sshd_config.d/10-cloud.conf', uriBaseId: 'TARGETROOT' },
        region: { startLine: 3, snippet: { text: 'PermitRootLogin yes' } },
      },
    },
  ]);
  assert.equal(run.originalUriBaseIds.TARGETROOT!.uri, 'file:///');
  const ww = run.results.filter((r) => r.ruleId === 'fs.no-world-writable');
  assert.equal(ww.length, 3);
  assert.equal(
    ww[0]!.locations![0]!.physicalLocation.artifactLocation.uri,
    `srv/www/${encodeURIComponent(XSS_NAME).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
  );
  assert.equal(ww[0]!.locations![0]!.physicalLocation.region, undefined, 'no line, no region');
  assert.equal(ww[1]!.locations![0]!.physicalLocation.artifactLocation.uri, 'app/uploads/evil%0Aname.txt');
  const pending = run.results.filter((r) => r.ruleId === 'patch.pending-security-updates');
  assert.equal(pending.length, 1);
  assert.deepEqual(pending[0]!.locations, [
    {
      physicalLocation: { artifactLocation: { uri: 'etc/rampart/config.yaml', uriBaseId: 'TARGETROOT' }, region: { startLine: 1 } },
      logicalLocations: [
        {
          name: 'patch.pending-security-updates',
          fullyQualifiedName: `${fixtureReport().target.name}/patch.pending-security-updates`,
          kind: 'resource',
        },
      ],
    },
  ]);
  assert.match(pending[0]!.message.text, /\$ apt-get -s upgrade/);
});

test('an offline root becomes the TARGETROOT base; odd path characters stay a valid URI', () => {
  const report = reportOf(
    [result('fs.no-world-writable', 'fail', '1 entry', [finding({ message: 'x', path: '/tmp/a b/#?%[]\u0001é', line: 7 })])],
    {
      target: { kind: 'root', name: 'img', root: '/mnt/image 1' },
    },
  );
  const run = assertValid(renderSarif(report)).runs[0]!;
  assert.equal(run.originalUriBaseIds.TARGETROOT!.uri, 'file:///mnt/image%201/');
  assert.equal(run.results[0]!.locations![0]!.physicalLocation.artifactLocation.uri, 'tmp/a%20b/%23%3F%25%5B%5D%01%C3%A9');
  assert.equal(decodeURIComponent(pathToUri('/x/%41')), 'x/%41');
});

test('a 10,000-finding report gives 10,000 located results, still valid', () => {
  const run = assertValid(renderSarif(bigReport(10_000))).runs[0]!;
  assert.equal(run.results.filter((r) => r.ruleId === 'fs.no-world-writable').length, 10_000);
});

test('a real audit of the debian12-default fixture host renders valid SARIF with a location per file finding', async (t) => {
  const root = hostRoot('debian12-default', t);
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--no-store']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  const run = assertValid(renderSarif(report)).runs[0]!;
  assert.equal(run.tool.driver.rules.length, report.results.length);
  const located = report.results
    .filter((x) => x.status === 'fail' || x.status === 'warn' || x.status === 'waived')
    .reduce((n, x) => n + x.findings.filter((f) => f.path).length, 0);
  const hostLevel = report.results.filter(
    (x) => (x.status === 'fail' || x.status === 'warn' || x.status === 'waived') && !x.findings.some((f) => f.path),
  ).length;
  assert.equal(
    run.results.filter((x) => x.locations?.[0]?.physicalLocation.artifactLocation.uri !== 'etc/rampart/config.yaml').length,
    located,
  );
  assert.equal(run.results.length, located + hostLevel);
  assertGithubIngestible(run);
  assert.equal(run.originalUriBaseIds.TARGETROOT!.uri, `file://${root.split('/').map(encodeURIComponent).join('/')}/`);
});

interface SarifRun {
  tool: { driver: { informationUri?: string; rules: { id: string; helpUri?: string; fullDescription?: { text: string } }[] } };
  results: {
    ruleId?: string;
    partialFingerprints?: Record<string, string>;
    locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
  }[];
}

/** GitHub code scanning's ingestion rules (docs: "SARIF support for code scanning"), checked one by one. */
function assertGithubIngestible(run: SarifRun): void {
  const ids = new Set(run.tool.driver.rules.map((r) => r.id));
  assert.match(run.tool.driver.informationUri ?? '', /^https:\/\//, 'driver.informationUri');
  for (const rule of run.tool.driver.rules) {
    assert.match(rule.helpUri ?? '', /^https:\/\//, `${rule.id}: helpUri`);
    assert.ok(rule.fullDescription?.text, `${rule.id}: fullDescription`);
  }
  const prints = new Set<string>();
  for (const r of run.results) {
    assert.ok(r.ruleId !== undefined && ids.has(r.ruleId), `ruleId ${r.ruleId} is in rules`);
    assert.ok(r.locations && r.locations.length > 0, `${r.ruleId}: a location`);
    for (const l of r.locations) {
      const uri = l.physicalLocation?.artifactLocation?.uri;
      assert.ok(
        uri !== undefined && (uri.startsWith('file://') || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)),
        `${r.ruleId}: uri ${uri} relative or file://`,
      );
      if (l.physicalLocation?.region) assert.ok((l.physicalLocation.region.startLine ?? 0) >= 1, `${r.ruleId}: startLine >= 1`);
    }
    const fp = r.partialFingerprints?.['rampartFinding/v1'];
    assert.ok(fp, `${r.ruleId}: a partial fingerprint`);
    assert.ok(!prints.has(fp), `fingerprint ${fp} unique`);
    prints.add(fp);
  }
}

test('GitHub ingestion rules hold for the fixture report; fingerprints do not move with line numbers', () => {
  const report = fixtureReport();
  const run = assertValid(renderSarif(report)).runs[0]! as unknown as SarifRun;
  assertGithubIngestible(run);
  const shifted = {
    ...report,
    results: report.results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, line: f.line === null ? null : f.line + 5 })) })),
  };
  const again = assertValid(renderSarif(shifted)).runs[0]! as unknown as SarifRun;
  assert.deepEqual(
    again.results.map((r) => r.partialFingerprints),
    run.results.map((r) => r.partialFingerprints),
  );
  // The check can fail: a result without a location is refused.
  const broken = { ...run, results: [{ ...run.results[0]!, locations: [] }] };
  assert.throws(() => assertGithubIngestible(broken), /a location/);
});
