// Password strength without keeping the password: a length class and zxcvbn's score (0–4) with the
// common and English dictionaries. zxcvbn's match sequence holds pieces of the password, so only the
// score, whether a dictionary word was found and the generic warning leave this function.
import { loadPackage } from '../../util/load-package.js';
import type { zxcvbn as Zxcvbn } from '@zxcvbn-ts/core';
import type { RedisSecret } from '../../facts/redis.js';

/** The guide: length >= 16 and a real strength estimate (zxcvbn score >= 3). */
export const MIN_LENGTH = 16;
export const MIN_SCORE = 3;

let zxcvbn: typeof Zxcvbn | null = null;

/**
 * The estimator and its dictionaries (about 20 MB) are loaded on first use, so only audits that
 * meet a plaintext password pay for them (the packages ship CommonJS builds: a synchronous require).
 */
function estimator(): typeof Zxcvbn {
  if (zxcvbn) return zxcvbn;
  const core = loadPackage('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = loadPackage('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = loadPackage('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  core.zxcvbnOptions.setOptions({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  zxcvbn = core.zxcvbn;
  return zxcvbn;
}

export function lengthClass(n: number): RedisSecret['lengthClass'] {
  if (n === 0) return 'empty';
  if (n < 8) return '1-7';
  if (n < MIN_LENGTH) return `8-${MIN_LENGTH - 1}`;
  return n < 32 ? `${MIN_LENGTH}-31` : '32+';
}

/** A dictionary match, also inside a repeat ("passwordpassword" is "password" twice). */
function hasDictionaryMatch(seq: readonly unknown[]): boolean {
  return seq.some((m) => {
    if (typeof m !== 'object' || m === null) return false;
    const o = m as { pattern?: unknown; baseToken?: unknown };
    return (
      o.pattern === 'dictionary' ||
      (o.pattern === 'repeat' && typeof o.baseToken === 'string' && hasDictionaryMatch(estimator()(o.baseToken).sequence))
    );
  });
}

/** The facts about one plaintext password; the password itself is not part of the result. */
export function estimateSecret(password: string): RedisSecret {
  // zxcvbn's cost grows with length; the first 100 characters decide the estimate.
  const r = estimator()(password.slice(0, 100));
  const dictionaryWord = hasDictionaryMatch(r.sequence);
  const long = password.length >= MIN_LENGTH;
  return {
    kind: 'plain',
    lengthClass: lengthClass(password.length),
    score: r.score,
    dictionaryWord,
    warning: r.feedback.warning ?? null,
    strong: long && r.score >= MIN_SCORE,
  };
}

/** A hashed password (#sha256 in an aclfile or ACL LIST): set, strength not knowable. */
export function hashedSecret(): RedisSecret {
  return { kind: 'hashed', lengthClass: null, score: null, dictionaryWord: null, warning: null, strong: null };
}
