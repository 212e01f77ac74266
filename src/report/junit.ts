import type { Report, Result } from '../evaluate/report.js';
import { escXml } from './escape.js';
import { locate } from './text.js';
import { areaOf, groupBySection, modeLabel, scoreText, waiverText } from './view.js';

/**
 * JUnit XML: one <testsuite> per guide section, one <testcase> per requirement
 * (classname `rampart.<area>`, name `<id>: <title>`).
 *
 * - fail and warn → <failure type="fail|warn">: a warn (drift, partial) is something to act on, and
 *   --fail-on counts it like a fail, so CI shows it red too. The body holds severity, summary,
 *   evidence (file:line or command, excerpt) and remediation.
 * - na, manual, unknown → <skipped message="<status>: <summary>">.
 * - waived → <skipped message="waived: <reason>; approved by …; expires …"> with the failure it hides
 *   in the body, so the waiver is visible and the build stays green.
 *
 * Times (seconds): a testcase's is the wall time of the slowest collector its check needed (`collectMs`;
 * the collectors run concurrently, evaluation itself is pure and takes no measurable time); a suite's the
 * longest of its testcases'; the root's the whole run (`durationMs`).
 *
 * The root `<testsuites>` carries the totals consumers read there: name, tests, failures, errors and
 * time. Not `skipped`: the schemas JUnit consumers validate against (Jenkins xUnit's junit-10.xsd and
 * Jenkins' junit-4.xsd, the one JUnit 5 tests its legacy XML report with) allow no other root
 * attribute; GitLab and Jenkins count skipped testcases themselves. Each suite has its own `skipped`.
 * The timestamp is the collection time in UTC, without a zone designator (Ant's format).
 */
export function renderJunit(report: Report): string {
  const suites = groupBySection(report.results);
  const total = { tests: 0, failures: 0 };
  for (const g of suites) {
    total.tests += g.results.length;
    total.failures += g.counts.fail + g.counts.warn;
  }
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rampart" tests="${total.tests}" failures="${total.failures}" errors="0" time="${seconds(report.durationMs)}">`,
  ];
  const timestamp = report.collectedAt.replace(/(\.\d+)?Z$/, '').slice(0, 19);
  const hostname = report.target.name.trim() || 'localhost';
  const props: [string, string][] = [
    ['rampart.version', report.tool.version],
    ['target.kind', report.target.kind],
    ['target.name', report.target.name],
    ['target.root', report.target.root],
    ['profile', report.profile],
    ['mode', modeLabel(report.live)],
    ['startedAt', report.startedAt],
    ['collectedAt', report.collectedAt],
    ['durationMs', String(report.durationMs)],
  ];
  suites.forEach((g, i) => {
    const failures = g.counts.fail + g.counts.warn;
    const skipped = g.counts.na + g.counts.manual + g.counts.unknown + g.counts.waived;
    const time = seconds(Math.max(0, ...g.results.map((r) => r.collectMs ?? 0)));
    out.push(
      `  <testsuite name="${escXml(g.label)}" package="rampart" id="${i}" hostname="${escXml(hostname)}" timestamp="${timestamp}" tests="${g.results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
      '    <properties>',
      ...props.map(([name, value]) => `      <property name="${escXml(name)}" value="${escXml(value)}"/>`),
      '    </properties>',
    );
    for (const r of g.results) out.push(...testcase(r));
    // Ant's XMLJUnitResultFormatter writes both, after the testcases.
    out.push(
      `    <system-out>${escXml(`${g.label}: score ${scoreText(g.score)} after waivers`)}</system-out>`,
      '    <system-err/>',
      '  </testsuite>',
    );
  });
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(r: Result): string[] {
  const head = `    <testcase classname="rampart.${escXml(areaOf(r.id))}" name="${escXml(`${r.id}: ${r.title}`)}" time="${seconds(r.collectMs ?? 0)}"`;
  switch (r.status) {
    case 'pass':
      return [`${head}/>`];
    case 'fail':
    case 'warn':
      return [`${head}>`, `      <failure type="${r.status}" message="${escXml(r.summary)}">${body(r)}</failure>`, '    </testcase>'];
    case 'waived': {
      const reason = r.waiver ? waiverText(r.waiver) : 'waiver';
      return [`${head}>`, `      <skipped message="${escXml(`waived: ${reason}`)}">${body(r)}</skipped>`, '    </testcase>'];
    }
    default:
      return [`${head}>`, `      <skipped message="${escXml(`${r.status}: ${r.summary}`)}"/>`, '    </testcase>'];
  }
}

/** Milliseconds as JUnit's seconds, to the millisecond. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The failure text: every host string escaped line by line, so a newline in a name stays on its line. */
function body(r: Result): string {
  const lines = [`severity: ${r.severity}`, `summary: ${r.summary}`];
  if (r.findings.length > 0) lines.push('evidence:');
  for (const f of r.findings) {
    const where = locate(f);
    const msg = f.message === r.summary ? '' : f.message;
    lines.push(`  - ${[where, msg].filter(Boolean).join('  ') || '(no location)'}`);
    if (f.excerpt) lines.push(`      ${f.excerpt}`);
  }
  lines.push(`remediation: ${r.remediation}`);
  return `\n${lines.map(escXml).join('\n')}\n      `;
}
