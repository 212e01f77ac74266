// auditd rules (augenrules(8)): /etc/audit/rules.d/*.rules are merged in `ls -v` order into
// audit.rules, which `augenrules --load` hands to auditctl -R. A step's value is one rule line; it is
// added to 50-rampart.rules unless a rules.d file already has that line. Nothing loads rules offline,
// and there is no dry run of auditctl: the merged candidate is checked with Rampart's parser of the
// auditctl grammar (the audit's own), and the tests run Debian's augenrules on the result. Loading into
// the kernel (`augenrules --load`) is the live reload.
import { mergeAugenrules, parseAuditRules } from '../../collect/parse/audit-rules.js';
import { AUDIT_RULES_DIR } from '../../collect/ids.js';
import { bytes, CONFIG_FILE, currentText } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const RAMPART_RULES = `${AUDIT_RULES_DIR}/50-rampart.rules`;
const HEADER = '## Written by rampart fix (the guide, section 5.2): watches merged by augenrules.';

export const writer: DirectiveWriter = {
  service: 'auditd',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    if (step.directive !== 'rule') return { ok: false, refused: `auditd: only rule lines are added (not ${step.directive})` };
    const line = step.value.trim();
    const one = parseAuditRules(line, { path: RAMPART_RULES });
    if (one.errors[0] || one.rules.length !== 1 || !/^-[wa]\s/.test(line))
      return { ok: false, refused: `auditd: not one -w/-a rule: ${one.errors[0]?.message ?? line}` };
    const dir = await target.list(AUDIT_RULES_DIR);
    if (!dir.ok) return { ok: false, refused: `${AUDIT_RULES_DIR}: ${dir.message} (install auditd first)` };
    const files: { name: string; path: string; text: string }[] = [];
    for (const e of dir.entries) {
      const path = `${AUDIT_RULES_DIR}/${e.name}`;
      const c = await currentText(target, pending, path);
      if ('error' in c) return { ok: false, refused: c.error };
      if (c.exists) files.push({ name: e.name, path, text: c.text });
    }
    const mine = pending.get(RAMPART_RULES) ? await currentText(target, pending, RAMPART_RULES) : null;
    if (mine && 'text' in mine && !files.some((f) => f.path === RAMPART_RULES))
      files.push({ name: '50-rampart.rules', path: RAMPART_RULES, text: mine.text });
    const has = files.find((f) => f.text.split('\n').some((l) => l.trim() === line));
    const cur = files.find((f) => f.path === RAMPART_RULES);
    if (has)
      return {
        ok: true,
        result: {
          changes: [],
          reload: [],
          decidedBy: { path: has.path, line: has.text.split('\n').findIndex((l) => l.trim() === line) + 1 },
          notes: [],
        },
      };
    const base = cur ? cur.text : `${HEADER}\n`;
    const text = `${base}${base.endsWith('\n') ? '' : '\n'}${line}\n`;
    // The merged rules.d as augenrules would write it must parse to the end (auditctl -R stops at the first bad line).
    const merged = mergeAugenrules(
      [...files.filter((f) => f.path !== RAMPART_RULES), { name: '50-rampart.rules', path: RAMPART_RULES, text }],
      AUDIT_RULES_DIR,
    );
    const bad = merged.lines
      .filter((l) => l.source)
      .flatMap((l) =>
        parseAuditRules(l.text, { path: l.source!.path ?? RAMPART_RULES }).errors.map(
          (e) => `${l.source!.path}:${l.source!.line}: ${e.message}`,
        ),
      );
    if (bad[0]) return { ok: false, refused: `the merged rules would not load past ${bad[0]}` };
    return {
      ok: true,
      result: {
        changes: [{ path: RAMPART_RULES, content: bytes(text), ...(cur ? {} : { create: { ...CONFIG_FILE, mode: 0o640 } }) }],
        reload: mode === 'live' ? [['augenrules', '--load']] : [],
        decidedBy: { path: RAMPART_RULES, line: text.split('\n').length - 1 },
        notes: [],
      },
    };
  },
};
