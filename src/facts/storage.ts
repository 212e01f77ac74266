import type { Source } from './evidence.js';

/** One layer of the block device stack under a file system, top first. */
export interface DeviceLayer {
  /** e.g. "dm-0", "sda2", "rpool/data" */
  name: string;
  kind: 'luks' | 'crypt' | 'lvm' | 'dm' | 'disk' | 'zfs' | 'network' | 'memory' | 'other';
  /** Whether this layer encrypts (null: could not tell). */
  encrypted: boolean | null;
  detail: string;
  source: Source;
}

export interface DataDir {
  path: string;
  role: 'postgresql' | 'redis' | 'backup' | 'app';
  /** Where the path came from (a config file line or a default). */
  source: Source;
  exists: boolean;
  /** The file system holding it. */
  mount: { mountPoint: string; fstype: string; device: string; source: Source } | null;
  layers: DeviceLayer[];
  /** Every path down the device stack passes an encrypting layer (ZFS: encryption is on); null: unknown. */
  stackEncrypted: boolean | null;
  /** fscrypt: the directory itself is encrypted (lsattr "E"), when that could be asked. */
  fscrypt: boolean | null;
  /** Why the encryption could not be determined, if it could not. */
  problem: string | null;
}

export interface StorageFacts {
  live: boolean;
  dirs: DataDir[];
}
