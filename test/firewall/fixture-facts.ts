import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { firewallCollector } from '../../src/collect/firewall.js';
import type { Fact } from '../../src/facts/fact.js';
import type { FirewallFacts } from '../../src/facts/firewall.js';
import type { SshdFacts } from '../../src/facts/sshd.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'firewall');

/** The firewall fact of an offline fixture root, as the collector reads it. */
export function fixtureFacts(name: string): Promise<Fact<FirewallFacts>> {
  return firewallCollector.collect({
    target: new FsTarget({ root: join(FIXTURES, name), name }),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 5000,
  });
}

/** sshd facts listening on `ports` (only `installed` and `ports` matter to the firewall checks). */
export function sshdOn(ports: number[]): SshdFacts {
  return {
    installed: true,
    ports,
    version: null,
    versionSource: { note: 'test' },
    method: 'files',
    methodReason: null,
    defaultsExact: false,
    effective: {},
    contexts: [],
    files: [],
    problems: [],
    validation: { method: 'files', ok: true, output: null, command: null },
    hostKeys: [],
  };
}
