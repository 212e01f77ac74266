/**
 * Built-in defaults of OpenSSH 9.2p1 as Debian 12 builds it (openssh-server 1:9.2p1-2+deb12u*):
 * what `sshd -T` prints for an empty sshd_config (sshd_config(5) documents the same values). Debian's
 * shipped /etc/ssh/sshd_config changes some of them (KbdInteractiveAuthentication no, UsePAM yes,
 * X11Forwarding yes): those come from the file, with its line, not from here.
 */
export interface SshdDefaults {
  version: string;
  /** How the values are cited as a source. */
  note: string;
  values: Readonly<Record<string, string>>;
  /** Host key files sshd loads when no HostKey is set (those that exist). */
  hostKeys: readonly string[];
  /** Algorithms the build supports (`ssh -Q cipher|mac|kex`), for +/-/^ list edits. */
  supported: Readonly<Record<'ciphers' | 'macs' | 'kexalgorithms', readonly string[]>>;
}

export const OPENSSH_9_2_DEFAULTS: SshdDefaults = {
  version: '9.2p1',
  note: 'OpenSSH 9.2p1 built-in default (sshd_config(5))',
  values: {
    port: '22',
    addressfamily: 'any',
    usepam: 'no',
    logingracetime: '120',
    x11displayoffset: '10',
    maxauthtries: '6',
    maxsessions: '10',
    clientaliveinterval: '0',
    clientalivecountmax: '3',
    requiredrsasize: '1024',
    streamlocalbindmask: '0177',
    unusedconnectiontimeout: 'none',
    permitrootlogin: 'without-password',
    ignorerhosts: 'yes',
    ignoreuserknownhosts: 'no',
    hostbasedauthentication: 'no',
    hostbasedusesnamefrompacketonly: 'no',
    pubkeyauthentication: 'yes',
    kerberosauthentication: 'no',
    kerberosorlocalpasswd: 'yes',
    kerberosticketcleanup: 'yes',
    gssapiauthentication: 'no',
    gssapicleanupcredentials: 'yes',
    gssapikeyexchange: 'no',
    gssapistrictacceptorcheck: 'yes',
    gssapistorecredentialsonrekey: 'no',
    gssapikexalgorithms:
      'gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-',
    passwordauthentication: 'yes',
    kbdinteractiveauthentication: 'yes',
    printmotd: 'yes',
    printlastlog: 'yes',
    x11forwarding: 'no',
    x11uselocalhost: 'yes',
    permittty: 'yes',
    permituserrc: 'yes',
    strictmodes: 'yes',
    tcpkeepalive: 'yes',
    permitemptypasswords: 'no',
    compression: 'yes',
    gatewayports: 'no',
    usedns: 'no',
    allowtcpforwarding: 'yes',
    allowagentforwarding: 'yes',
    disableforwarding: 'no',
    allowstreamlocalforwarding: 'yes',
    streamlocalbindunlink: 'no',
    fingerprinthash: 'SHA256',
    exposeauthinfo: 'no',
    pidfile: '/run/sshd.pid',
    modulifile: '/etc/ssh/moduli',
    xauthlocation: '/usr/bin/xauth',
    ciphers: 'chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com',
    macs: 'umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1',
    banner: 'none',
    forcecommand: 'none',
    chrootdirectory: 'none',
    trustedusercakeys: 'none',
    revokedkeys: 'none',
    securitykeyprovider: 'internal',
    authorizedprincipalsfile: 'none',
    versionaddendum: 'none',
    authorizedkeyscommand: 'none',
    authorizedkeyscommanduser: 'none',
    authorizedprincipalscommand: 'none',
    authorizedprincipalscommanduser: 'none',
    hostkeyagent: 'none',
    kexalgorithms:
      'sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256',
    casignaturealgorithms:
      'ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256',
    hostbasedacceptedalgorithms:
      'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256',
    hostkeyalgorithms:
      'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256',
    pubkeyacceptedalgorithms:
      'ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256',
    loglevel: 'INFO',
    syslogfacility: 'AUTH',
    authorizedkeysfile: '.ssh/authorized_keys .ssh/authorized_keys2',
    authenticationmethods: 'any',
    maxstartups: '10:30:100',
    persourcemaxstartups: 'none',
    persourcenetblocksize: '32:128',
    permittunnel: 'no',
    ipqos: 'lowdelay throughput',
    rekeylimit: '0 0',
    permitopen: 'any',
    permitlisten: 'any',
    permituserenvironment: 'no',
    pubkeyauthoptions: 'none',
  },
  hostKeys: ['/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ecdsa_key', '/etc/ssh/ssh_host_ed25519_key'],
  supported: {
    ciphers: [
      '3des-cbc',
      'aes128-cbc',
      'aes192-cbc',
      'aes256-cbc',
      'aes128-ctr',
      'aes192-ctr',
      'aes256-ctr',
      'aes128-gcm@openssh.com',
      'aes256-gcm@openssh.com',
      'chacha20-poly1305@openssh.com',
    ],
    macs: [
      'hmac-sha1',
      'hmac-sha1-96',
      'hmac-sha2-256',
      'hmac-sha2-512',
      'hmac-md5',
      'hmac-md5-96',
      'umac-64@openssh.com',
      'umac-128@openssh.com',
      'hmac-sha1-etm@openssh.com',
      'hmac-sha1-96-etm@openssh.com',
      'hmac-sha2-256-etm@openssh.com',
      'hmac-sha2-512-etm@openssh.com',
      'hmac-md5-etm@openssh.com',
      'hmac-md5-96-etm@openssh.com',
      'umac-64-etm@openssh.com',
      'umac-128-etm@openssh.com',
    ],
    kexalgorithms: [
      'diffie-hellman-group1-sha1',
      'diffie-hellman-group14-sha1',
      'diffie-hellman-group14-sha256',
      'diffie-hellman-group16-sha512',
      'diffie-hellman-group18-sha512',
      'diffie-hellman-group-exchange-sha1',
      'diffie-hellman-group-exchange-sha256',
      'ecdh-sha2-nistp256',
      'ecdh-sha2-nistp384',
      'ecdh-sha2-nistp521',
      'curve25519-sha256',
      'curve25519-sha256@libssh.org',
      'sntrup761x25519-sha512',
      'sntrup761x25519-sha512@openssh.com',
    ],
  },
};

/**
 * The defaults for an OpenSSH version. Only 9.2p1 (Debian 12) is tabulated; another version gets
 * them with `exact: false`, which the collector reports.
 */
export function defaultsFor(version: string | null): { defaults: SshdDefaults; exact: boolean } {
  return { defaults: OPENSSH_9_2_DEFAULTS, exact: version !== null && /^9\.2(p\d+)?$/.test(version) };
}
