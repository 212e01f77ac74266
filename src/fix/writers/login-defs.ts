// login.defs(5): `NAME VALUE` lines; shadow's getdef keeps the last value of a name (see
// parseLoginDefs). Nothing to reload: read by each login, passwd and useradd.
import { bytes, currentText, notesOf, setLastWins } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const LOGIN_DEFS = '/etc/login.defs';

export const writer: DirectiveWriter = {
  service: 'login.defs',
  async write({ target, step, pending }): Promise<WriterOutcome> {
    const name = step.directive;
    const cur = await currentText(target, pending, LOGIN_DEFS);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const text = cur.exists ? cur.text : '';
    const e = setLastWins(text, (l) => new RegExp(`^\\s*${name}\\s`).test(l), `${name}\t${step.value}`);
    return {
      ok: true,
      result: {
        changes: [{ path: LOGIN_DEFS, content: bytes(e.text), ...(cur.exists ? {} : { create: { mode: 0o644, uid: 0, gid: 0 } }) }],
        reload: [],
        decidedBy: { path: LOGIN_DEFS, line: e.line },
        ...(e.before !== null ? { before: e.before.trim() } : {}),
        notes: [...notesOf(LOGIN_DEFS, e), 'existing accounts keep their shadow aging fields: chage -M sets them'],
      },
    };
  },
};
