import type { Check } from '../define.js';
import nonRoot from './non-root.js';
import readOnlyRootfs from './read-only-rootfs.js';
import capabilities from './capabilities.js';
import imageScanning from './image-scanning.js';
import contentTrust from './content-trust.js';
import hostIsolation from './host-isolation.js';

export const dockerChecks: Check[] = [nonRoot, readOnlyRootfs, capabilities, imageScanning, contentTrust, hostIsolation];
