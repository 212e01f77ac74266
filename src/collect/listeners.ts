import { collected, failed } from '../facts/fact.js';
import { parseSsListen } from './parse/ss-listen.js';
import { defineCollector } from './types.js';

export const OFFLINE_REASON = 'offline: listening sockets need a live host';

export const listenersCollector = defineCollector({
  key: 'listeners',
  gathers: (g) =>
    g.live ? { commands: [{ argv: ['ss', '-Htlnup'], opts: { timeoutMs: g.commandTimeoutMs, maxBytes: 16 * 1024 * 1024 } }] } : {},
  async collect(ctx) {
    if (!ctx.target.live) return failed(OFFLINE_REASON);
    const argv = ['ss', '-Htlnup'];
    const r = await ctx.target.run(argv, { timeoutMs: ctx.commandTimeoutMs, maxBytes: 16 * 1024 * 1024 });
    if (!r.ok) return failed(`${r.command}: ${r.message}`);
    if (r.code !== 0) return failed(`${r.command} exited with ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    const { listeners, unparsed } = parseSsListen(r.stdout, r.command);
    return collected({ listeners, unparsed });
  },
});
