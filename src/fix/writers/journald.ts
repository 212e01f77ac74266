// journald.conf(5): drop-ins in /etc/systemd/journald.conf.d/*.conf are read after journald.conf in
// lexicographic order, a later setting overriding; Rampart writes zz-rampart.conf so it sorts last.
import { bytes, CONFIG_FILE, currentText } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const JOURNALD_DROPIN = '/etc/systemd/journald.conf.d/zz-rampart.conf';

export const writer: DirectiveWriter = {
  service: 'journald',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    const cur = await currentText(target, pending, JOURNALD_DROPIN);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const lines = cur.exists
      ? cur.text.split('\n')
      : ['# Written by rampart fix: sorts last in journald.conf.d (journald.conf(5)).', '[Journal]', ''];
    if (lines[lines.length - 1] === '') lines.pop();
    const at = lines.findIndex((l) => new RegExp(`^\\s*${step.directive}\\s*=`).test(l));
    let line: number;
    let before: string | undefined;
    if (at >= 0) {
      before = `${lines[at]!.trim()} (${JOURNALD_DROPIN}:${at + 1})`;
      lines[at] = `${step.directive}=${step.value}`;
      line = at + 1;
    } else {
      if (!lines.some((l) => l.trim() === '[Journal]')) lines.push('[Journal]');
      lines.push(`${step.directive}=${step.value}`);
      line = lines.length;
    }
    return {
      ok: true,
      result: {
        changes: [{ path: JOURNALD_DROPIN, content: bytes(`${lines.join('\n')}\n`), ...(cur.exists ? {} : { create: CONFIG_FILE }) }],
        reload: mode === 'live' ? [['systemctl', 'restart', 'systemd-journald']] : [],
        decidedBy: { path: JOURNALD_DROPIN, line },
        ...(before !== undefined ? { before } : {}),
        notes: [],
      },
    };
  },
};
