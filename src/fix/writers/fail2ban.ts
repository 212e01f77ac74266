// fail2ban (jail.conf(5), fail2ban/client/configreader.py): jail.conf, jail.d/*.conf, jail.local, then
// jail.d/*.local, each directory in sorted order, later files overriding earlier ones option by option.
// So the last-sorting jail.d/*.local decides: Rampart writes jail.d/zz-rampart.local, and refuses when
// a file sorting after it sets the same option in the same section (it would still win).
import { parseFail2banIni } from '../../collect/parse/fail2ban-ini.js';
import { CONFIG_FILE, bytes, currentText } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const FAIL2BAN_JAIL_D = '/etc/fail2ban/jail.d';
export const RAMPART_JAIL_FILE = 'zz-rampart.local';
const OURS = `${FAIL2BAN_JAIL_D}/${RAMPART_JAIL_FILE}`;
const HEADER = '# Written by rampart fix: sorts last in jail.d, so these values decide (jail.conf(5)).\n';

/** Python's sorted() of file names (code point order), as fail2ban's glob is sorted. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const writer: DirectiveWriter = {
  service: 'fail2ban',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    const section = step.section ?? 'DEFAULT';
    const option = step.directive.toLowerCase();
    const list = await target.list(FAIL2BAN_JAIL_D);
    if (!list.ok && list.error !== 'missing') return { ok: false, refused: list.message };
    if (!list.ok) return { ok: false, refused: `${FAIL2BAN_JAIL_D} does not exist: is fail2ban installed?` };
    const later = list.entries
      .map((e) => e.name)
      .filter((n) => n.endsWith('.local') && byCodePoint(n, RAMPART_JAIL_FILE) > 0)
      .sort(byCodePoint);
    for (const name of later) {
      const path = `${FAIL2BAN_JAIL_D}/${name}`;
      const cur = await currentText(target, pending, path);
      if ('error' in cur) return { ok: false, refused: cur.error };
      if (!cur.exists) continue;
      const ini = parseFail2banIni(cur.text, path);
      const opts = section === 'DEFAULT' ? ini.defaults : ini.sections.find((s) => s.name === section)?.options;
      const o = opts?.[option];
      if (o)
        return {
          ok: false,
          refused: `${path}:${o.line} sets ${option} in [${section}] and sorts after ${RAMPART_JAIL_FILE}, so it would still decide`,
        };
    }
    const cur = await currentText(target, pending, OURS);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const text = cur.exists ? cur.text : HEADER;
    const ini = parseFail2banIni(text, OURS);
    if (ini.errors[0]) return { ok: false, refused: `${OURS}:${ini.errors[0].line}: ${ini.errors[0].message}` };
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const newLine = `${option} = ${step.value}`;
    const sec = section === 'DEFAULT' ? null : ini.sections.find((s) => s.name === section);
    const existing = section === 'DEFAULT' ? ini.defaults[option] : sec?.options[option];
    let line: number;
    let before: string | undefined;
    if (existing) {
      if (existing.value.includes('\n')) return { ok: false, refused: `${OURS}:${existing.line}: ${option} spans several lines` };
      before = `${existing.value} (${OURS}:${existing.line})`;
      lines[existing.line - 1] = newLine;
      line = existing.line;
    } else {
      const headerAt = lines.findIndex((l) => l.trimEnd() === `[${section}]`);
      if (headerAt >= 0) {
        // after the section's last line, so that the lines earlier steps reported (decidedBy) stay true
        let end = lines.findIndex((l, i) => i > headerAt && /^\[/.test(l));
        if (end < 0) end = lines.length;
        while (end > headerAt + 1 && lines[end - 1]!.trim() === '') end--;
        lines.splice(end, 0, newLine);
        line = end + 1;
      } else {
        if (lines.length > 0 && lines[lines.length - 1] !== '' && !lines[lines.length - 1]!.startsWith('#')) lines.push('');
        lines.push(`[${section}]`, newLine);
        line = lines.length;
      }
    }
    return {
      ok: true,
      result: {
        changes: [{ path: OURS, content: bytes(`${lines.join('\n')}\n`), ...(cur.exists ? {} : { create: CONFIG_FILE }) }],
        reload: mode === 'live' ? [['fail2ban-client', 'reload']] : [],
        decidedBy: { path: OURS, line },
        ...(before !== undefined ? { before } : {}),
        notes: ['validate the whole tree with `fail2ban-client -t` (it reads a directory, not one candidate file)'],
      },
    };
  },
};
