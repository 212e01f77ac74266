// A separate process that writes runs into a history store: node --import tsx writer.ts DIR COUNT TAG START_AT_MS [PAD]
// COUNT 0 writes until killed. Used by history.test.ts for the concurrency and SIGKILL tests.
import { HistoryStore } from '../../src/store/history.js';
import { report, result } from './fixture.js';

const [dir, countArg, tag, startAtArg, padArg] = process.argv.slice(2);
const count = Number(countArg);
const startAt = Number(startAtArg);
while (Date.now() < startAt) {
  // a barrier, so both writers start together
}
for (let i = 0; count === 0 || i < count; i++) {
  const store = HistoryStore.open(dir!, { create: true });
  store.record(
    report([result('fw.enabled', i % 2 ? 'pass' : 'fail')], {
      target: `host-${tag}`,
      startedAt: new Date(Date.UTC(2026, 10, 28, 0, 0, i)).toISOString(),
      pad: Number(padArg ?? 0),
    }),
  );
  store.close();
}
