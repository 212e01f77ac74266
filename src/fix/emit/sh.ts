// `--emit sh`: a POSIX script (dash; needs coreutils' sha256sum, mktemp and GNU stat) doing what the
// apply engine does, file by file: guard (sha256 against the plan's baseline), candidate beside the
// file, the service's validator on it, backup (cp -p FILE.rampart-bak-RUN), atomic mv, reload once.
// Every candidate is written and validated before any file is replaced; a failure after a replace
// restores the backups (and reloads) from the EXIT trap.
import { dirname } from 'node:path';
import { CANDIDATE } from '../plan.js';
import { hasCandidate, sha256Hex, type EmitPlan } from './index.js';

/** One shell word, single-quoted. */
export function shQuote(s: string): string {
  return `'${s.split("'").join(`'"'"'`)}'`;
}

/** argv as a shell command line; CANDIDATE pieces become "$VAR". */
function shArgv(argv: readonly string[], candidateVar?: string): string {
  return argv
    .map((a) => {
      if (!candidateVar || !a.includes(CANDIDATE)) return shQuote(a);
      return a
        .split(CANDIDATE)
        .map((piece) => (piece === '' ? '' : shQuote(piece)))
        .join(`"$${candidateVar}"`);
    })
    .join(' ');
}

function isPlainText(b: Uint8Array): boolean {
  if (b.length === 0 || b[b.length - 1] !== 0x0a || b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Commands that write exactly the bytes B to "$VAR". */
function writeBytes(b: Uint8Array, v: string): string[] {
  if (isPlainText(b)) {
    const text = Buffer.from(b).toString('utf8');
    const lines = new Set(text.split('\n'));
    let delim = 'RAMPART_EOF';
    for (let n = 1; lines.has(delim); n++) delim = `RAMPART_EOF_${n}`;
    return [`cat > "$${v}" <<'${delim}'`, text.slice(0, -1), delim];
  }
  // Binary-safe: printf's format with every byte outside printable ASCII as an octal escape.
  const out = [`: > "$${v}"`];
  const CHUNK = 512;
  for (let i = 0; i < b.length; i += CHUNK) {
    let fmt = '';
    for (const byte of b.subarray(i, i + CHUNK)) {
      const ch = String.fromCharCode(byte);
      if (byte >= 0x20 && byte < 0x7f && ch !== "'" && ch !== '\\' && ch !== '%') fmt += ch;
      else fmt += `\\${byte.toString(8).padStart(3, '0')}`;
    }
    out.push(`printf '${fmt}' >> "$${v}"`);
  }
  return out;
}

export function emitSh(plan: EmitPlan): string {
  const L: string[] = [];
  const n = plan.files.length;
  L.push(
    '#!/bin/sh',
    `# rampart fix --emit sh for ${plan.host.replace(/[\r\n]/g, ' ')}. Run as root: sh harden.sh`,
    '# Refuses a file changed since the plan was made; skips a file already as planned; validates every',
    '# candidate before replacing anything; backups are FILE.rampart-bak-RUN (RAMPART_RUN sets RUN).',
    'set -eu',
    'umask 077',
    'RUN="${RAMPART_RUN:-$(date -u +%Y%m%dT%H%M%SZ)-$$}"',
    'case "$RUN" in *[!A-Za-z0-9._-]*|"") echo "rampart: bad RAMPART_RUN" >&2; exit 2;; esac',
    'changed=0',
    'files_changed=0',
    'rampart_sha() { sha256sum < "$1" | cut -c1-64; }',
    'rampart_fail() { printf "rampart: %s\\n" "$*" >&2; exit 1; }',
  );
  for (let i = 1; i <= n; i++) L.push(`tmp${i}=''; moved${i}=''; bak${i}=''`);
  // The EXIT trap: remove candidates; after a failure, put back what this run replaced.
  L.push('rampart_exit() {', '  rc=$?', '  trap - EXIT', '  restored=0');
  for (let i = 1; i <= n; i++) {
    const f = shQuote(plan.files[i - 1]!.path);
    L.push(
      `  if [ -n "$tmp${i}" ]; then rm -f "$tmp${i}"; fi`,
      `  if [ "$rc" -ne 0 ] && [ -n "$moved${i}" ]; then`,
      `    if [ -n "$bak${i}" ]; then mv -f "$bak${i}" ${f}; else rm -f ${f}; fi`,
      `    restored=1; echo "rampart: restored "${f} >&2`,
      '  fi',
    );
  }
  L.push('  if [ "$restored" -eq 1 ]; then');
  for (const r of plan.reload) L.push(`    ${shArgv(r)} || echo "rampart: reload failed after restore: "${shQuote(r.join(' '))} >&2`);
  L.push('    :', '  fi', '  exit "$rc"', '}', 'trap rampart_exit EXIT', "trap 'exit 1' INT TERM HUP", '');

  // Phase 1: guard, candidate, validation.
  for (const [k, file] of plan.files.entries()) {
    const i = k + 1;
    const f = shQuote(file.path);
    const want = sha256Hex(file.content);
    L.push(`# ${i}/${n} ${file.path.replace(/[\r\n]/g, '?')}`, `act${i}=skip`);
    L.push(`if [ -e ${f} ] || [ -L ${f} ]; then`, `  [ -f ${f} ] && [ ! -L ${f} ] || rampart_fail ${f}": not a regular file"`);
    L.push(`  cur=$(rampart_sha ${f})`);
    L.push(`  if [ "$cur" = ${want} ]; then echo "ok: "${f}" (already as planned)"`);
    if (file.baseline) L.push(`  elif [ "$cur" = ${file.baseline} ]; then act${i}=replace`);
    L.push(
      `  else rampart_fail ${f}" changed since the plan was made (sha256 $cur, planned against ${file.baseline ?? 'no file'}): refusing"`,
      '  fi',
      'else',
    );
    if (file.baseline) L.push(`  rampart_fail ${f}" no longer exists (planned against sha256 ${file.baseline}): refusing"`);
    else L.push(`  act${i}=create`);
    L.push('fi', `if [ "$act${i}" != skip ]; then`);
    L.push(`  tmp${i}=$(mktemp ${shQuote(dirname(file.path) + '/.rampart-new-XXXXXX')})`);
    L.push(...writeBytes(file.content, `tmp${i}`));
    if (file.create) {
      L.push(`  chmod ${file.create.mode.toString(8).padStart(4, '0')} "$tmp${i}"`);
      L.push(`  chown ${shQuote(`${file.create.owner}:${file.create.group}`)} "$tmp${i}"`);
    } else {
      L.push(`  if [ "$act${i}" = replace ]; then chmod "$(stat -c %a ${f})" "$tmp${i}"; chown "$(stat -c %u:%g ${f})" "$tmp${i}"; fi`);
    }
    L.push(`  [ "$(rampart_sha "$tmp${i}")" = ${want} ] || rampart_fail "the candidate for "${f}" does not have the planned content"`);
    if (file.validate && hasCandidate(file.validate)) {
      L.push(
        `  if ! ${shArgv(file.validate, `tmp${i}`)}; then`,
        `    rampart_fail ${shQuote(file.validate[0] ?? '')}" refused the new "${f}": nothing replaced"`,
        '  fi',
      );
    }
    L.push('fi', '');
  }
  // Phase 2: backup, re-check, atomic replace.
  for (const [k, file] of plan.files.entries()) {
    const i = k + 1;
    const f = shQuote(file.path);
    L.push(`if [ "$act${i}" != skip ]; then`);
    if (file.baseline) {
      L.push(
        `  if [ "$act${i}" = replace ]; then`,
        `    bak${i}=${shQuote(file.path + '.rampart-bak-')}"$RUN"`,
        `    cp -p ${f} "$bak${i}"`,
        `    [ "$(rampart_sha ${f})" = ${file.baseline} ] || rampart_fail ${f}" changed while the script ran: not replaced"`,
        '  fi',
      );
    } else L.push(`  [ ! -e ${f} ] && [ ! -L ${f} ] || rampart_fail ${f}" appeared while the script ran: not replaced"`);
    L.push(
      `  moved${i}=1`,
      `  mv -f "$tmp${i}" ${f}`,
      `  tmp${i}=''`,
      '  changed=$((changed + 1)); files_changed=$((files_changed + 1))',
      `  echo "changed: "${f}`,
      'fi',
    );
  }
  // Validators that check the installed configuration (no candidate path): after the replace.
  const post = plan.files.filter((f) => f.validate && !hasCandidate(f.validate));
  if (post.length > 0) {
    L.push('if [ "$files_changed" -gt 0 ]; then');
    for (const f of post)
      L.push(`  ${shArgv(f.validate!)} || rampart_fail ${shQuote(f.validate!.join(' '))}" refused the new configuration: restoring"`);
    L.push('fi');
  }
  for (const m of plan.modes) {
    const f = shQuote(m.path);
    const mode = m.mode.replace(/^0+(?=\d{3})/, '');
    const want = [mode, m.owner, m.group].filter((x) => x !== undefined).join(' ');
    const fmt = ['%a', m.owner !== undefined ? '%U' : '', m.group !== undefined ? '%G' : ''].filter(Boolean).join(' ');
    L.push(
      `[ -e ${f} ] || rampart_fail ${f}": does not exist"`,
      `if [ "$(stat -c ${shQuote(fmt)} ${f})" != ${shQuote(want)} ]; then`,
      `  chmod ${m.mode} ${f}`,
    );
    if (m.owner !== undefined || m.group !== undefined)
      L.push(`  chown ${shQuote(`${m.owner ?? ''}${m.group !== undefined ? `:${m.group}` : ''}`)} ${f}`);
    L.push(`  changed=$((changed + 1)); echo "changed: mode of "${f}`, 'fi');
  }
  if (plan.reload.length > 0) {
    L.push('if [ "$files_changed" -gt 0 ]; then');
    for (const r of plan.reload) L.push(`  ${shArgv(r)} || rampart_fail "reload failed: "${shQuote(r.join(' '))}`);
    L.push('fi');
  }
  for (const c of plan.commands) {
    L.push(`# ${c.purpose.replace(/[\r\n]/g, ' ')}`);
    const guard = c.unless ? `! ${shArgv(c.unless)} >/dev/null 2>&1` : c.creates !== undefined ? `[ ! -e ${shQuote(c.creates)} ]` : 'true';
    L.push(
      `if ${guard}; then`,
      `  ${shArgv(c.argv)}`,
      `  changed=$((changed + 1)); echo "changed: ran "${shQuote(c.argv.join(' '))}`,
      'fi',
    );
  }
  L.push('echo "rampart: changed=$changed"', '');
  return L.join('\n');
}
