// Runs the firewall and listeners collectors against the live host (inside whatever network
// namespace this process runs in) and prints the facts as JSON. Used by the namespace tests.
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { firewallCollector } from '../../src/collect/firewall.js';
import { listenersCollector } from '../../src/collect/listeners.js';

const ctx = { target: new FsTarget({ name: 'netns' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 };
const [firewall, listeners] = await Promise.all([firewallCollector.collect(ctx), listenersCollector.collect(ctx)]);
process.stdout.write(JSON.stringify({ firewall, listeners }));
