import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** Ed25519 (RFC 8032) through node:crypto: PKCS#8 PEM private keys, SPKI PEM public keys. */

export class KeyError extends Error {}

export function generateKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function loadPrivateKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new KeyError(`${where}: not a PEM private key (${e instanceof Error ? e.message : String(e)})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new KeyError(`${where}: a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519 (rampart keygen makes one)`);
  return key;
}

export function loadPublicKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new KeyError(`${where}: not a PEM public key (${e instanceof Error ? e.message : String(e)})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`${where}: a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  return key;
}

/** SHA-256 of the key's SPKI DER encoding, hex: names a public key in a signed document. */
export function fingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Ed25519 signs the message itself (no pre-hash): the algorithm argument is null. */
export function signBytes(data: Buffer, key: KeyObject): Buffer {
  return sign(null, data, key);
}

export function verifyBytes(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
