// pwquality.conf(5), libpwquality 1.4 settings.c: the *.conf files of pwquality.conf.d are read first,
// then /etc/security/pwquality.conf, a later setting winning; so the main file's last occurrence decides.
import { bytes, CONFIG_FILE, currentText, notesOf, setLastWins } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const PWQUALITY_CONF = '/etc/security/pwquality.conf';

export const writer: DirectiveWriter = {
  service: 'pwquality',
  async write({ target, step, pending }): Promise<WriterOutcome> {
    const name = step.directive.toLowerCase();
    if (!/^[a-z_]+$/.test(name)) return { ok: false, refused: `not a pwquality setting: ${step.directive}` };
    const cur = await currentText(target, pending, PWQUALITY_CONF);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const e = setLastWins(cur.exists ? cur.text : '', (l) => new RegExp(`^\\s*${name}(\\s|=|$)`).test(l), `${name} = ${step.value}`);
    return {
      ok: true,
      result: {
        changes: [{ path: PWQUALITY_CONF, content: bytes(e.text), ...(cur.exists ? {} : { create: CONFIG_FILE }) }],
        reload: [],
        decidedBy: { path: PWQUALITY_CONF, line: e.line },
        ...(e.before !== null ? { before: e.before.trim() } : {}),
        notes: notesOf(PWQUALITY_CONF, e),
      },
    };
  },
};
