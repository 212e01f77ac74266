import { generateKeyPair, loadPrivateKey } from '../../src/sign/ed25519.js';
import { signEnvelope, SIGNOFF_TYPE, SIGNOFF_VERSION, type SignedDocument, type SignoffEnvelope } from '../../src/sign/signoff.js';

export const alice = generateKeyPair();
export const mallory = generateKeyPair();

export function envelope(over: Partial<SignoffEnvelope> = {}): SignoffEnvelope {
  return {
    type: SIGNOFF_TYPE,
    version: SIGNOFF_VERSION,
    document: { kind: 'checklist', file: 'checklist.json', digest: 'jcs', sha256: 'a'.repeat(64), collectedAt: '2026-11-20T10:00:00.000Z' },
    host: 'test',
    signer: { name: 'alice', role: 'security lead' },
    signedAt: '2026-11-20T12:00:00.000Z',
    tool: { name: 'rampart', version: 'test' },
    ...over,
  };
}

export function signed(over: Partial<SignoffEnvelope> = {}, key = alice.privatePem): SignedDocument {
  return signEnvelope(envelope(over), loadPrivateKey(key, 'test key'));
}
