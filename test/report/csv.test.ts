import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSV_COLUMNS, renderCsv } from '../../src/report/csv.js';
import { csvCell } from '../../src/report/escape.js';
import { fixtureReport, reportOf, result, finding } from './fixture.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`);
    i += 2;
    rows.push(row);
    row = [];
  }
  return rows;
}

test('csvCell: RFC 4180 quoting and the formula guard', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('-rw-rw-rw-'), "'-rw-rw-rw-");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
  assert.equal(csvCell('a\nb'), 'a\\nb');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(7), '7');
});

test('one row per finding, one row for a result without findings, every row as wide as the header', () => {
  const report = fixtureReport();
  const rows = parseCsv(renderCsv(report));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  const expected = report.results.reduce((n, r) => n + Math.max(1, r.findings.length), 0);
  assert.equal(rows.length - 1, expected);
  for (const r of rows) assert.equal(r.length, CSV_COLUMNS.length, r.join('|'));
  const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
  const na = rows.find((r) => r[col('id')] === 'fs.encryption-at-rest')!;
  assert.deepEqual([na[col('message')], na[col('path')], na[col('line')], na[col('command')], na[col('excerpt')]], ['', '', '', '', '']);
  assert.equal(na[col('gdpr')], 'Art. 32(1)(a)');
  const root = rows.find((r) => r[col('id')] === 'ssh.root-login-disabled')!;
  assert.deepEqual(
    [root[col('path')], root[col('line')], root[col('severity')], root[col('status')], root[col('iso27001:2013')]],
    ['/etc/ssh/sshd_config.d/10-cloud.conf', '3', 'critical', 'fail', 'A.9.2.3'],
  );
  const formula = rows.find((r) => r[col('id')] === 'accounts.least-privilege')!;
  assert.equal(formula[col('excerpt')], "'=cmd|' /C calc'!A0");
  assert.equal(formula[col('gdpr')], 'Art. 5(1)(f); Art. 32(1)(b)');
  const waived = rows.find((r) => r[col('status')] === 'waived')!;
  assert.match(waived[col('waiver')]!, /^Legacy host/);
  assert.ok(rows.some((r) => r[col('path')] === '/app/uploads/evil\\nname.txt'));
});

test('a comma, quote and newline in every column survive a round trip', () => {
  const nasty = 'a,"b"\nc';
  const rows = parseCsv(
    renderCsv(
      reportOf([result('fw.enabled', 'fail', nasty, [finding({ message: nasty, path: nasty, command: nasty, excerpt: nasty, line: 4 })])]),
    ),
  );
  assert.equal(rows.length, 2);
  for (const name of ['summary', 'message', 'path', 'command', 'excerpt'])
    assert.equal(rows[1]![CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number])], 'a,"b"\\nc', name);
});
