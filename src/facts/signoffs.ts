import type { SignedDocument } from '../sign/signoff.js';

/** Sign-offs of the audited target kept in the state directory (`rampart signoff`), not yet verified. */
export interface StoredSignoff {
  /** The file in the state directory. */
  file: string;
  doc: SignedDocument | null;
  /** Why the file is not a usable sign-off (unreadable, malformed), else null. */
  error: string | null;
}

export interface SignoffFacts {
  /** The directory they were read from. */
  store: string;
  target: string;
  signoffs: StoredSignoff[];
}
