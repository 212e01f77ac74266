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
 * Valid against both the Apache Ant schema (windyroad JUnit.xsd, strict: properties required,
 * timestamp without zone, hostname) and Jenkins xunit's junit-10.xsd. The timestamp is the
 * collection time in UTC (the Ant schema allows no zone designator).
 */
export function renderJunit(report: Report): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
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
  groupBySection(report.results).forEach((g, i) => {
    const failures = g.counts.fail + g.counts.warn;
    const skipped = g.counts.na + g.counts.manual + g.counts.unknown + g.counts.waived;
    out.push(
      `  <testsuite name="${escXml(g.label)}" package="rampart" id="${i}" hostname="${escXml(hostname)}" timestamp="${timestamp}" tests="${g.results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
      '    <properties>',
      ...props.map(([name, value]) => `      <property name="${escXml(name)}" value="${escXml(value)}"/>`),
      '    </properties>',
    );
    for (const r of g.results) out.push(...testcase(r));
    // The Ant schema requires both, after the testcases.
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
  const head = `    <testcase classname="rampart.${escXml(areaOf(r.id))}" name="${escXml(`${r.id}: ${r.title}`)}" time="0"`;
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
