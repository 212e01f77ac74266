import type { ChecklistBoxState } from '../sign/checklist-boxes.js';
import type { SignedDocument } from '../sign/signoff.js';

/** Sign-offs of the audited target kept in the state directory (`rampart signoff`), not yet verified. */
export interface StoredSignoff {
  /** The file in the state directory. */
  file: string;
  doc: SignedDocument | null;
  /** Why the file is not a usable sign-off (unreadable, malformed), else null. */
  error: string | null;
  /**
   * The boxes of the signed checklist, from the copy of the document kept beside the sign-off (its
   * SHA-256 checked against the envelope); null when the copy is missing or does not match (see
   * `boxesError`), or the document is not a checklist. Optional: sign-offs stored before copies were kept.
   */
  boxes?: ChecklistBoxState[] | null;
  boxesError?: string | null;
}

export interface SignoffFacts {
  /** The directory they were read from. */
  store: string;
  target: string;
  signoffs: StoredSignoff[];
}
