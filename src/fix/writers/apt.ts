// apt.conf(5): the files of /etc/apt/apt.conf.d are read in alphanumeric order and a later assignment
// of a key wins. Rampart sets the key in 20auto-upgrades (the file unattended-upgrades' debconf writes)
// and validates the candidate with apt-config, which exits non-zero on a syntax error.
import { CANDIDATE } from '../plan.js';
import { bytes, CONFIG_FILE, currentText, notesOf, setLastWins } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const AUTO_UPGRADES = '/etc/apt/apt.conf.d/20auto-upgrades';

export const writer: DirectiveWriter = {
  service: 'apt',
  async write({ target, step, pending }): Promise<WriterOutcome> {
    if (!/^[A-Za-z0-9:_-]+$/.test(step.directive) || step.value.includes('"'))
      return { ok: false, refused: `not a plain apt key and value: ${step.directive} "${step.value}"` };
    const cur = await currentText(target, pending, AUTO_UPGRADES);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const key = step.directive.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const e = setLastWins(
      cur.exists ? cur.text : '',
      (l) => new RegExp(`^\\s*${key}\\s+"`, 'i').test(l),
      `${step.directive} "${step.value}";`,
    );
    return {
      ok: true,
      result: {
        changes: [
          {
            path: AUTO_UPGRADES,
            content: bytes(e.text),
            ...(cur.exists ? {} : { create: CONFIG_FILE }),
            validate: ['apt-config', '-c', CANDIDATE, 'dump'],
          },
        ],
        reload: [],
        decidedBy: { path: AUTO_UPGRADES, line: e.line },
        ...(e.before !== null ? { before: e.before.trim() } : {}),
        notes: [
          ...notesOf(AUTO_UPGRADES, e),
          'a later file of apt.conf.d setting the same key would still win: `apt-config dump` shows the result',
        ],
      },
    };
  },
};
