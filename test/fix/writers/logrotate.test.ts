// The log.retention recipe (logrotate + journald writers) on the logging fixtures: Debian's rsyslog
// rotation (rotate 4 weekly = 28 days), a maxage 30, a volatile journal and a 30-day journal drop-in;
// after the writers, the audit passes and the real logrotate reads the result (`logrotate -d`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { FsTarget } from '../../../src/target/fs-target.js';
import { CHECKS } from '../../../src/checks/index.js';
import { parseLogrotate } from '../../../src/collect/parse/logrotate.js';
import { editLogrotateBlock, writer as logrotate } from '../../../src/fix/writers/logrotate.js';
import { writer as journald } from '../../../src/fix/writers/journald.js';
import type { DirectiveWriter } from '../../../src/fix/writers/types.js';
import { requireCommands, runCli } from '../../helpers.js';
import { caseRoot, type Layer } from '../../logging/fixture.js';

const NOW = '2026-12-01T00:00:00Z';
const WRITERS: Record<string, DirectiveWriter> = { logrotate, journald };

const EDITS: { name: string; in: string; d: string; v: string; out: string | null }[] = [
  {
    name: 'daily becomes weekly',
    in: '/var/log/a {\n\tdaily\n\trotate 7\n}\n',
    d: 'frequency',
    v: 'weekly',
    out: '/var/log/a {\n\tweekly\n\trotate 7\n}\n',
  },
  {
    name: 'size-only becomes weekly',
    in: '/var/log/a {\n  size 10M\n}\n',
    d: 'frequency',
    v: 'weekly',
    out: '/var/log/a {\n  weekly\n}\n',
  },
  {
    name: 'rotate added after the brace',
    in: '/var/log/a\n/var/log/b\n{\n    missingok\n}\n',
    d: 'rotate',
    v: '13',
    out: '/var/log/a\n/var/log/b\n{\n    rotate 13\n    missingok\n}\n',
  },
  { name: 'rotate already 13', in: '/var/log/a {\n\trotate 13\n}\n', d: 'rotate', v: '13', out: null },
  { name: 'maxage raised', in: '/var/log/a {\n\tmaxage 30 # days\n}\n', d: 'maxage', v: '91', out: '/var/log/a {\n\tmaxage 91\n}\n' },
  { name: 'no maxage: none added', in: '/var/log/a {\n\tweekly\n}\n', d: 'maxage', v: '91', out: null },
];

for (const c of EDITS)
  test(`logrotate edit: ${c.name}`, () => {
    const item = parseLogrotate(c.in, '/etc/logrotate.d/x').items.find((i) => i.kind === 'block');
    assert.ok(item?.kind === 'block');
    assert.equal(editLogrotateBlock(c.in, item.block, c.d, c.v)?.text ?? null, c.out);
  });

async function retention(root: string): Promise<{ status: string; summary: string }> {
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--now', NOW, '--no-store', '--only', 'log.retention']);
  return (JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] }).results[0]!;
}

for (const [name, layers] of [
  [null, ['rsyslog']],
  ['maxage-30.fail', ['rsyslog']],
  ['journald-volatile.fail', []],
  ['journald-dropin-maxretention-30d.fail', []],
] as [string | null, Layer[]][])
  test(
    `log.retention recipe on ${name ?? 'Debian rsyslog (rotate 4 weekly)'}: fail → pass; logrotate -d reads the result`,
    { timeout: 120_000 },
    async (t) => {
      const root = caseRoot(t, name, layers);
      const s0 = await retention(root);
      assert.equal(s0.status, 'fail', s0.summary);
      const target = new FsTarget({ root, name: 'log' });
      const pending = new Map<string, Uint8Array>();
      const validate = new Map<string, readonly string[]>();
      for (const step of CHECKS.find((c) => c.id === 'log.retention')!.fix!.steps) {
        if (step.kind !== 'set-directive') continue;
        const out = await WRITERS[step.service]!.write({ target, mode: 'root', step, pending });
        assert.ok(out.ok, out.ok ? '' : out.refused);
        for (const c of out.result.changes) {
          pending.set(c.path, c.content);
          if (c.validate) validate.set(c.path, c.validate);
        }
      }
      for (const [p, c] of pending) {
        mkdirSync(dirname(join(root, p)), { recursive: true });
        writeFileSync(join(root, p), c);
      }
      const s1 = await retention(root);
      assert.equal(s1.status, 'pass', s1.summary);
      if (layers.length === 0) return;
      assert.ok(validate.size > 0);
      if (!requireCommands(t, 'logrotate')) return;
      for (const [p, argv] of validate) {
        // The debug run with a state file of its own: reads and checks the file, rotates nothing.
        const r = spawnSync('logrotate', ['-d', '-s', join(root, 'status'), join(root, p)], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr + r.stdout, /rotating pattern: .*weekly \(13 rotations\)/s);
        assert.deepEqual(argv.slice(0, 2), ['logrotate', '-d']);
      }
      assert.match(
        readFileSync(join(root, 'etc/logrotate.d/rsyslog'), 'utf8'),
        /postrotate\n\t\t\/usr\/lib\/rsyslog\/rsyslog-rotate\n\tendscript/,
      );
    },
  );
