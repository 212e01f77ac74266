// Targets, the console table and the Markdown block for BENCHMARKS.md.

const RSS_LIMIT_MB = 150;

/**
 * Each target: { id, target, value, shown, status } with status PASS, MISS, ERROR (a measurement
 * failed: not timed as valid) or SKIPPED (a measurement was left out with BENCH_SKIP).
 */
export function evaluateTargets(ms) {
  const t = [];
  // value = median(num) / median(den), compared with `limit`
  const ratio = (id, target, numId, denId, op, limit, fmt) => {
    const failed = [numId, denId].filter((k) => ms[k]?.error);
    const missing = [numId, denId].filter((k) => !ms[k]);
    if (failed.length || missing.length) {
      const status = failed.length ? 'ERROR' : 'SKIPPED';
      t.push({
        id,
        target,
        value: null,
        shown: failed.length ? `error in ${failed.join(', ')}` : `needs ${missing.join(', ')} (skipped)`,
        status,
      });
      return;
    }
    const v = ms[numId].median / ms[denId].median;
    const ok = op === '>=' ? v >= limit : op === '<' ? v < limit : v <= limit;
    t.push({ id, target, value: v, shown: fmt(v, ms[numId].median, ms[denId].median), status: ok ? 'PASS' : 'MISS' });
  };
  const s = (v) => `${v.toFixed(3)} s`;
  ratio(
    'full-vs-lynis',
    'whole audit ≥ 20× faster than Lynis',
    'lynis',
    'full',
    '>=',
    20,
    (v, a, b) => `${v.toFixed(1)}× faster (Lynis ${s(a)} / Rampart ${s(b)})`,
  );
  ratio(
    'noscan-vs-lynis',
    'audit without the two scans ≥ 40× faster than Lynis',
    'lynis',
    'noscan',
    '>=',
    40,
    (v, a, b) => `${v.toFixed(1)}× faster (Lynis ${s(a)} / Rampart ${s(b)})`,
  );
  ratio(
    'noscan-vs-oscap',
    'audit without the two scans < ½ of OpenSCAP standard profile',
    'noscan',
    'oscap',
    '<',
    0.5,
    (v, a, b) => `${v.toFixed(2)} of OpenSCAP's time (${s(a)} / ${s(b)})`,
  );
  ratio(
    'pending-vs-apt',
    'pending-updates answer ≤ apt-get -s upgrade',
    'pending',
    'apt',
    '<=',
    1,
    (v, a, b) => `${v.toFixed(2)} of apt-get's time (${s(a)} / ${s(b)})`,
  );
  ratio(
    'ww-vs-find',
    'world-writable scan ≤ 1.5× find',
    'ww',
    'find',
    '<=',
    1.5,
    (v, a, b) => `${v.toFixed(2)}× find's time (${s(a)} / ${s(b)})`,
  );

  const ids = ['full', 'noscan', 'pending', 'ww'];
  const audits = ids.map((k) => ms[k]).filter((m) => m && !m.error && m.peakRssMb !== null);
  const target = `peak RSS of an audit < ${RSS_LIMIT_MB} MB`;
  if (audits.length === 0) {
    const status = ids.some((k) => ms[k]?.error) ? 'ERROR' : 'SKIPPED';
    t.push({ id: 'rss', target, value: null, shown: 'no valid Rampart measurement with an RSS figure', status });
  } else {
    // the larger of GNU time's figure (timed runs) and node's own (warm-up run)
    const peak = (m) => Math.max(m.peakRssMb, m.nodeSelfRssMb ?? 0);
    const worst = audits.reduce((a, b) => (peak(b) > peak(a) ? b : a));
    const failedIds = ids.filter((k) => ms[k]?.error);
    t.push({
      id: 'rss',
      target,
      value: peak(worst),
      shown:
        `${peak(worst).toFixed(1)} MB (${worst.id}); GNU time -f %M over the timed runs: ${audits.map((m) => `${m.id} ${m.peakRssMb.toFixed(1)}`).join(', ')}` +
        `; node's own maxRSS in the warm-up run: ${audits.map((m) => `${m.id} ${m.nodeSelfRssMb ? m.nodeSelfRssMb.toFixed(1) : '?'}`).join(', ')}` +
        `${failedIds.length ? `; not measured: ${failedIds.join(', ')}` : ''}`,
      status: peak(worst) < RSS_LIMIT_MB ? 'PASS' : 'MISS',
    });
  }
  return t;
}

const sec = (v) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(3) : v.toFixed(2));

function rows(record) {
  const order = ['full', 'noscan', 'pending', 'ww', 'lynis', 'oscap', 'apt', 'find'];
  return order
    .map((k) => record.measurements[k])
    .filter(Boolean)
    .map((m) => ({
      id: m.id,
      command: m.command,
      runs: m.runs ?? 0,
      median: m.median,
      min: m.min,
      max: m.max,
      rss: m.peakRssMb,
      exits: m.exitCodes?.length ? [...new Set(m.exitCodes)].join('/') : '—',
      error: m.error,
      adjusted: m.adjusted ?? null,
    }));
}

export function printTable(record, out) {
  out('');
  out(`Results (${record.runs} timed run(s) each after 1 warm-up; seconds, wall clock)`);
  out(
    `Load average at start ${record.machine.loadAverageAtStart.join(', ')}, at end ${record.machine.loadAverageAtEnd?.join(', ') ?? '?'} (${record.machine.nproc} CPUs)`,
  );
  const rs = rows(record);
  const head = ['id', 'runs', 'median', 'min', 'max', 'peak RSS MB', 'exit'];
  const body = rs.map((r) => [
    r.id,
    String(r.runs),
    sec(r.median),
    sec(r.min),
    sec(r.max),
    r.rss === null ? '—' : r.rss.toFixed(1),
    r.exits,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  out(line(head));
  for (const b of body) out(line(b));
  out('');
  for (const r of rs) {
    out(`  ${r.id.padEnd(8)} ${r.command}`);
    if (r.adjusted) out(`  ${''.padEnd(8)} note: ${r.adjusted}`);
    if (r.error) out(`  ${''.padEnd(8)} ERROR: ${r.error}`);
  }
  out('');
  out('Targets');
  for (const t of record.targets) out(`  ${t.status.padEnd(7)} ${t.target}: ${t.shown}`);
  out('');
  out('Remarks');
  for (const r of record.remarks) out(`  - ${r}`);
  const notes = ['full', 'noscan', 'pending', 'ww', 'oscap', 'lynis', 'apt', 'find']
    .map((k) => record.measurements[k])
    .filter((m) => m && m.notes && Object.keys(m.notes).length);
  if (notes.length) {
    out('');
    out('Last-run details');
    for (const m of notes) out(`  ${m.id.padEnd(8)} ${JSON.stringify(m.notes)}`);
  }
}

export function markdownBlock(record) {
  const m = record.machine;
  const L = [];
  L.push(`### Run of ${record.startedAt.slice(0, 10)} (${record.startedAt.slice(11, 19)} UTC), commit ${m.commit ?? '?'}`);
  L.push('');
  L.push(
    `Command: \`${record.command}\` (${record.runs} timed run${record.runs === 1 ? '' : 's'} after 1 warm-up run each; median, min, max of wall-clock seconds)${record.defaults ? '' : ' — **not the default configuration**'}.`,
  );
  L.push('');
  L.push(
    `Machine: ${m.nproc} CPUs (${m.cpu ?? '?'}), ${m.memoryGiB} GiB RAM, kernel ${m.kernel}, ${m.os ?? 'Debian'} (${m.debianVersion ?? '?'})${m.dockerenv ? ', /.dockerenv present' : ''}.`,
  );
  L.push(`Load average (1, 5, 15 min) at start ${m.loadAverageAtStart.join(', ')}, at end ${m.loadAverageAtEnd?.join(', ') ?? '?'}.`);
  L.push(
    `Versions: node ${m.versions.node}; lynis ${m.versions.lynis ?? '?'}; ${m.versions.oscap ?? 'oscap ?'}; ${m.versions.apt ?? 'apt ?'}; ${m.versions.find ?? 'find ?'}; ${m.versions.time ?? 'GNU time ?'} (peak RSS: /usr/bin/time -f %M).`,
  );
  L.push('');
  L.push('| id | command | runs | median s | min s | max s | peak RSS MB | exit |');
  L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows(record)) {
    const cmd = `\`${r.command.replace(/\|/g, '\\|')}\`${r.adjusted ? ` (${r.adjusted})` : ''}${r.error ? ` — **ERROR**: ${r.error.replace(/\|/g, '\\|')}` : ''}`;
    L.push(
      `| ${r.id} | ${cmd} | ${r.runs} | ${sec(r.median)} | ${sec(r.min)} | ${sec(r.max)} | ${r.rss === null ? '—' : r.rss.toFixed(1)} | ${r.exits} |`,
    );
  }
  L.push('');
  L.push('| target | measured | result |');
  L.push('| --- | --- | --- |');
  for (const t of record.targets) L.push(`| ${t.target} | ${t.shown} | **${t.status}** |`);
  L.push('');
  if (record.measurements.treeInfo) {
    const ti = record.measurements.treeInfo;
    L.push(
      `Tree for the world-writable scan: ${ti.files} files in ${ti.dirs} directories under ${ti.where} (created in ${ti.createSeconds.toFixed(1)} s, removed afterwards); planted: ${ti.expect.rampartFindings} world-writable entries without the sticky bit (findings) + ${ti.expect.findPaths - ti.expect.rampartFindings} sticky world-writable directories (find lists them, Rampart does not flag them) + one symlink.`,
    );
    L.push('');
  }
  L.push('Remarks:');
  for (const r of record.remarks) L.push(`- ${r}`);
  L.push('');
  return `${L.join('\n')}\n`;
}
