// The project's own copy of the guide's requirements (../shared/guide/requirements.yaml, version 1).
// Nothing reads ../shared at run time; test/catalog.test.ts keeps this copy equal to the spec.
import type { RequirementSpec, ChecklistSpec } from './types.js';

export const REQUIREMENTS: readonly RequirementSpec[] = [
  {
    "id": "patch.auto-security-updates",
    "section": "2.1",
    "title": "Automatic security updates are enabled",
    "expect": "Debian/Ubuntu: unattended-upgrades installed, APT::Periodic::Update-Package-Lists and APT::Periodic::Unattended-Upgrade are \"1\" (apt.conf.d merged in order), and the allowed origins include the distribution's security suite. RHEL family: dnf-automatic installed, its timer enabled, upgrade_type = security or default, apply_updates = yes.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.6.1"
      ],
      "iso27001:2022": [
        "8.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "patch.pending-security-updates",
    "section": "2.1",
    "title": "No security updates are pending",
    "expect": "No installed package has a newer version available from a security origin (apt: simulated upgrade / apt list --upgradable against the security suite). The finding lists each package, installed and candidate version.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.6.1"
      ],
      "iso27001:2022": [
        "8.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "patch.weekly-review",
    "section": "2.1",
    "title": "Weekly patch reviews are scheduled",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.6.1"
      ],
      "iso27001:2022": [
        "8.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "patch.staging-first",
    "section": "2.1",
    "title": "Patches are tested in staging before production",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.14.2.1",
        "A.12.1.2"
      ],
      "iso27001:2022": [
        "8.25",
        "8.32"
      ],
      "gdpr": []
    }
  },
  {
    "id": "patch.inventory",
    "section": "2.1",
    "title": "Patch inventory and change log are kept",
    "expect": "The tool emits the package inventory (name, version, origin) and the change log it can see (apt history.log / dpkg.log / dnf history) with its time span; fails if the package manager's history log is missing or holds less than 90 days.",
    "kind": "evidence",
    "severity": "low",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.1.2"
      ],
      "iso27001:2022": [
        "8.32"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.root-login-disabled",
    "section": "2.2",
    "title": "Root login over SSH is disabled",
    "expect": "Effective sshd setting PermitRootLogin is \"no\" (also see 3.2).",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "accounts.sudo-for-admin",
    "section": "2.2",
    "title": "Administration goes through sudo",
    "expect": "sudo is installed, /etc/sudoers and /etc/sudoers.d/* parse (visudo -c where live), are owned by root and not group/world-writable, and root's password is locked (shadow field starts with ! or *) so root is reached only through sudo.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "accounts.least-privilege",
    "section": "2.2",
    "title": "Least privilege for accounts",
    "expect": "No account other than root has UID 0; no sudoers rule gives ALL with NOPASSWD to a user or group outside the configured admin list; members of root-equivalent groups (sudo, wheel, admin, docker, lxd, disk, shadow) are listed and any not in the admin list is a finding.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": [
        "Art. 5(1)(f)",
        "Art. 32(1)(b)"
      ]
    }
  },
  {
    "id": "accounts.review",
    "section": "2.2",
    "title": "User accounts and permissions are reviewed regularly",
    "expect": "Evidence: every account with a login shell, its groups, last login, password age. Findings: empty password fields, system accounts (UID < 1000) with a login shell, human accounts with no login for 90+ days. The review itself is signed off.",
    "kind": "evidence",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.5"
      ],
      "iso27001:2022": [
        "5.18"
      ],
      "gdpr": []
    }
  },
  {
    "id": "accounts.password-policy",
    "section": "2.2",
    "title": "Strong password policy (12+ characters, complexity)",
    "expect": "pam_pwquality (or pam_passwdqc) is active in the password stack with minlen >= 12 and complexity (minclass >= 3, or each of dcredit/ucredit/lcredit/ocredit <= -1); passwords are hashed with yescrypt or SHA-512 (ENCRYPT_METHOD / pam_unix option).",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.3"
      ],
      "iso27001:2022": [
        "5.17"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fs.app-permissions",
    "section": "2.3",
    "title": "Application files are 644 and directories 755",
    "expect": "Under the application directory (default /app, configurable, several allowed) every regular file is mode 644 and every directory 755; each other mode is a finding with its path. Files listed as executable in the configuration may be 755.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.1"
      ],
      "iso27001:2022": [
        "8.3"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fs.no-world-writable",
    "section": "2.3",
    "title": "No world-writable files or directories",
    "expect": "No world-writable regular file on local file systems (proc, sys, dev and other pseudo file systems excluded); a world-writable directory is a finding unless it has the sticky bit (like /tmp). Paths are reported exactly, whatever bytes they hold.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.1"
      ],
      "iso27001:2022": [
        "8.3"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fs.mandatory-access-control",
    "section": "2.3",
    "title": "SELinux or AppArmor enforces mandatory access control",
    "expect": "SELinux is enforcing, or AppArmor is enabled with its profiles loaded in enforce mode (complain-only is a finding). Offline: the boot configuration and packages show it will be on.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.1"
      ],
      "iso27001:2022": [
        "8.3"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fs.encryption-at-rest",
    "section": "2.3",
    "title": "Sensitive data is encrypted at rest",
    "expect": "The file systems holding the data directories (PostgreSQL data directory, Redis dir, backup locations, configured application data paths) sit on an encrypted block device (dm-crypt/LUKS, ZFS or fscrypt encryption). Live: from the mount table and device mapper; offline: from crypttab and fstab.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.10.1.1"
      ],
      "iso27001:2022": [
        "8.24"
      ],
      "gdpr": [
        "Art. 32(1)(a)"
      ]
    }
  },
  {
    "id": "fw.enabled",
    "section": "3.1",
    "title": "A host firewall is active",
    "expect": "ufw is active, or an nftables/iptables ruleset filters the INPUT path.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fw.default-deny-incoming",
    "section": "3.1",
    "title": "Incoming traffic is denied by default",
    "expect": "Default incoming policy is deny/drop/reject (IPv4 and IPv6).",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fw.default-allow-outgoing",
    "section": "3.1",
    "title": "Outgoing traffic policy is as the guide sets it",
    "expect": "Default outgoing policy is allow (the guide's setting); a stricter egress policy passes, with a note saying so.",
    "kind": "automated",
    "severity": "info",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fw.allowed-ports-only",
    "section": "3.1",
    "title": "Only SSH, HTTP and HTTPS are open",
    "expect": "Incoming allow rules open only 22/tcp, 80/tcp and 443/tcp (the allow-list is configurable); every other opened port or range is a finding.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fw.ssh-rate-limit",
    "section": "3.1",
    "title": "SSH connections are rate limited",
    "expect": "ufw \"limit\" on the SSH port, or an iptables/nftables rule limiting new connections to the SSH port (e.g. 3/min, burst 3) ahead of its accept.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "fw.ssh-admin-sources",
    "section": "3.1",
    "title": "SSH is restricted to admin source addresses where possible",
    "expect": "The SSH allow rule names source addresses/ranges rather than anywhere. Open to anywhere is a low-severity finding (the guide says \"if possible\").",
    "kind": "automated",
    "severity": "low",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "net.exposed-services",
    "section": "3.1",
    "title": "No service listens to the network unless the firewall allows it",
    "expect": "Live: every TCP/UDP socket listening on a non-loopback address is on the allow-list or is dropped by the firewall; e.g. Redis on 0.0.0.0:6379 with the port not blocked is a critical finding naming the process.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live"
    ],
    "profile": "strict",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.password-auth-disabled",
    "section": "3.2",
    "title": "Password authentication is disabled",
    "expect": "PasswordAuthentication no and KbdInteractiveAuthentication (ChallengeResponseAuthentication) no.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.2"
      ],
      "iso27001:2022": [
        "8.5"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.pubkey-auth-enabled",
    "section": "3.2",
    "title": "Public key authentication is enabled",
    "expect": "PubkeyAuthentication yes.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.2"
      ],
      "iso27001:2022": [
        "8.5"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.protocol-2",
    "section": "3.2",
    "title": "Only SSH protocol 2",
    "expect": "Protocol 2 only. OpenSSH 7.4+ has no protocol 1 at all: pass, noting that the Protocol keyword is obsolete there.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.idle-timeout",
    "section": "3.2",
    "title": "Idle sessions time out",
    "expect": "ClientAliveInterval between 1 and 300, ClientAliveCountMax between 1 and 3.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.2"
      ],
      "iso27001:2022": [
        "8.5"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.allowed-users",
    "section": "3.2",
    "title": "SSH access is limited to named groups or users",
    "expect": "AllowGroups or AllowUsers is set; each named group exists and has at least one member (an empty group locks everyone out).",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.x11-forwarding-disabled",
    "section": "3.2",
    "title": "X11 forwarding is disabled",
    "expect": "X11Forwarding no.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.tcp-keepalive",
    "section": "3.2",
    "title": "TCP keepalive is on",
    "expect": "TCPKeepAlive yes.",
    "kind": "automated",
    "severity": "low",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.usedns-disabled",
    "section": "3.2",
    "title": "Reverse DNS lookups are off",
    "expect": "UseDNS no.",
    "kind": "automated",
    "severity": "low",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.config-valid",
    "section": "8",
    "title": "sshd configuration is valid",
    "expect": "Live - `sshd -t` exits 0; offline - every file parses and every keyword is known to the installed version.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.1.2"
      ],
      "iso27001:2022": [
        "8.9",
        "8.32"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.strong-crypto",
    "section": "3.2",
    "title": "Only strong ciphers, MACs and key exchanges",
    "expect": "No CBC or arcfour ciphers, no MD5/SHA-1/96-bit MACs, no SHA-1 key exchanges, no DSA host keys, RSA host keys >= 3072 bits.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "strict",
    "controls": {
      "iso27001:2013": [
        "A.10.1.1"
      ],
      "iso27001:2022": [
        "8.24"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ssh.auth-limits",
    "section": "3.2",
    "title": "Authentication attempts are limited",
    "expect": "MaxAuthTries <= 4, PermitEmptyPasswords no, LoginGraceTime <= 60.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "strict",
    "controls": {
      "iso27001:2013": [
        "A.9.4.2"
      ],
      "iso27001:2022": [
        "8.5"
      ],
      "gdpr": []
    }
  },
  {
    "id": "f2b.running",
    "section": "3.3",
    "title": "Fail2Ban is installed and running",
    "expect": "Installed; live - the server answers (fail2ban-client ping) and the service is enabled at boot.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "f2b.sshd-jail",
    "section": "3.3",
    "title": "The sshd jail is on with the guide's limits",
    "expect": "The sshd jail is enabled with maxretry <= 3, bantime >= 1h (or -1 permanent), findtime >= 10m, covering the port sshd really listens on.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "f2b.log-source",
    "section": "3.3",
    "title": "The sshd jail reads a log source that exists",
    "expect": "Its logpath exists and receives sshd messages, or its backend is systemd on a host whose sshd logs only to the journal (Debian 12 has no auth.log by default, and a jail pointed at it never bans anyone or stops fail2ban from starting).",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.15"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.non-root",
    "section": "4.1",
    "title": "Containers run as non-root users",
    "expect": "Each service sets a non-root user (compose user:, image USER, live Config.User not empty/0/root).",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.read-only-rootfs",
    "section": "4.1",
    "title": "Container file systems are read-only where possible",
    "expect": "read_only true (live ReadonlyRootfs); writable paths via tmpfs/volumes.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.14.2.5"
      ],
      "iso27001:2022": [
        "8.27"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.capabilities",
    "section": "4.1",
    "title": "Container capabilities are limited",
    "expect": "cap_drop includes ALL (added back capabilities listed), no privileged: true, no dangerous cap_add (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH), security_opt no-new-privileges:true.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.image-scanning",
    "section": "4.1",
    "title": "Images are scanned for vulnerabilities regularly",
    "expect": "A scanner is installed (trivy, grype, docker scout) and a scan result younger than the configured age exists for each deployed image, or an attestation says where scanning runs (e.g. in the registry or CI).",
    "kind": "evidence",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.6.1"
      ],
      "iso27001:2022": [
        "8.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.content-trust",
    "section": "4.1",
    "title": "Docker content trust is on for image pulls",
    "expect": "DOCKER_CONTENT_TRUST=1 in the environment that deploys (systemd unit, /etc/environment, deploy user profile), or images pinned by digest.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.14.2.1"
      ],
      "iso27001:2022": [
        "8.25"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docker.host-isolation",
    "section": "4.1",
    "title": "Containers do not reach into the host",
    "expect": "No docker.sock mounted into a container, no host network/pid/ipc namespace, no bind mount of / or /etc; daemon.json sets no-new-privileges, icc false, live-restore and log size limits.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "strict",
    "controls": {
      "iso27001:2013": [
        "A.13.1.3"
      ],
      "iso27001:2022": [
        "8.22"
      ],
      "gdpr": []
    }
  },
  {
    "id": "pg.password-strength",
    "section": "4.2",
    "title": "Strong passwords, rotated",
    "expect": "password_encryption = scram-sha-256; no role can log in with an empty password over a password method; live - roles with md5 hashes are findings; rolvaliduntil older than the rotation period (default 180 days) is a finding.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.3"
      ],
      "iso27001:2022": [
        "5.17"
      ],
      "gdpr": []
    }
  },
  {
    "id": "pg.restricted-access",
    "section": "4.2",
    "title": "Database access is restricted to the application servers",
    "expect": "listen_addresses is not * / 0.0.0.0 unless pg_hba narrows it; no pg_hba host line allows 0.0.0.0/0, ::/0 or \"all\" addresses; allowed sources match the configured app-server list.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "pg.ssl",
    "section": "4.2",
    "title": "Database connections use SSL",
    "expect": "ssl = on with readable cert and key (key mode 0600 or 0640 root-owned), remote pg_hba lines are hostssl (host lines for remote addresses are findings), ssl_min_protocol_version >= TLSv1.2.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.10.1.1"
      ],
      "iso27001:2022": [
        "8.24"
      ],
      "gdpr": [
        "Art. 32(1)(a)"
      ]
    }
  },
  {
    "id": "pg.hba-methods",
    "section": "4.2",
    "title": "pg_hba.conf uses strong host-based authentication",
    "expect": "No trust or password (clear text) method on any line; md5 is a finding; local lines use peer or scram.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.2"
      ],
      "iso27001:2022": [
        "8.5"
      ],
      "gdpr": []
    }
  },
  {
    "id": "pg.monitoring",
    "section": "4.2",
    "title": "Suspicious queries and connections are logged",
    "expect": "log_connections and log_disconnections on; log_statement ddl/mod/all or pgaudit loaded; log_line_prefix carries user, database and client host.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.15"
      ],
      "gdpr": []
    }
  },
  {
    "id": "redis.requirepass",
    "section": "4.3",
    "title": "Redis requires a strong password",
    "expect": "requirepass is set (or the ACL default user is off / has a password) and the password is strong (length >= 16 and a real strength estimate, not a dictionary word); live - an unauthenticated command is refused. The password never appears in any output.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.4.3"
      ],
      "iso27001:2022": [
        "5.17"
      ],
      "gdpr": []
    }
  },
  {
    "id": "redis.bind-local",
    "section": "4.3",
    "title": "Redis binds to localhost or internal addresses only",
    "expect": "bind lists only loopback or configured internal addresses (no *, 0.0.0.0, ::); protected-mode yes.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.20"
      ],
      "gdpr": []
    }
  },
  {
    "id": "redis.dangerous-commands",
    "section": "4.3",
    "title": "Dangerous commands are disabled",
    "expect": "FLUSHDB, FLUSHALL, CONFIG, DEBUG, KEYS, SHUTDOWN and MODULE are renamed to \"\" or denied to every enabled ACL user (e.g. -@dangerous); live - each is refused for the application user.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "redis.acl",
    "section": "4.3",
    "title": "Redis ACLs give fine-grained permissions",
    "expect": "ACL users are defined (user directives or aclfile), the default user is off or restricted, no enabled user has +@all ~* without a password.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.9.2.3"
      ],
      "iso27001:2022": [
        "8.2"
      ],
      "gdpr": []
    }
  },
  {
    "id": "redis.tls",
    "section": "4.3",
    "title": "Redis connections use TLS",
    "expect": "tls-port set with cert and key present; plaintext port 0, or plaintext bound to loopback only.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.10.1.1"
      ],
      "iso27001:2022": [
        "8.24"
      ],
      "gdpr": [
        "Art. 32(1)(a)"
      ]
    }
  },
  {
    "id": "log.centralized",
    "section": "5.1",
    "title": "Logs are shipped to a central store",
    "expect": "A shipper is installed, enabled and has a remote destination: rsyslog/syslog-ng forwarding, systemd-journal-upload, promtail/Grafana Alloy/Agent, Filebeat/Elastic Agent, Fluent Bit, Vector, or a cloud logging agent.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.15"
      ],
      "gdpr": []
    }
  },
  {
    "id": "log.retention",
    "section": "5.1",
    "title": "Logs are retained for at least 90 days",
    "expect": "For auth/secure and syslog/messages, logrotate's rotate count x frequency >= 90 days (maxage not below it); journald persistent with MaxRetentionSec >= 90d or unset and no size cap that would cut it (reported as a warning then).",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1",
        "A.12.4.2"
      ],
      "iso27001:2022": [
        "8.15"
      ],
      "gdpr": [
        "Art. 5(1)(e)",
        "Art. 32(1)(d)"
      ]
    }
  },
  {
    "id": "log.security-events",
    "section": "5.1",
    "title": "Security events (failed logins, unusual activity) are monitored",
    "expect": "A monitor watches the authentication log source (fail2ban sshd jail, Wazuh/OSSEC or an auditd-based rule); the report also summarises recent failed logins by source and user from that log source.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.16"
      ],
      "gdpr": [
        "Art. 5(1)(f)",
        "Art. 32(1)(b)"
      ]
    }
  },
  {
    "id": "log.alerts",
    "section": "5.1",
    "title": "Critical security events raise alerts",
    "expect": "An alert destination is configured in a monitor (fail2ban action with mail or webhook, Wazuh/OSSEC email or integration, Alertmanager receiver); otherwise an attestation names where alerts go.",
    "kind": "evidence",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.16.1.2"
      ],
      "iso27001:2022": [
        "6.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ids.hids",
    "section": "5.2",
    "title": "A host intrusion detection agent runs",
    "expect": "OSSEC or Wazuh agent installed, enabled, running (live), with a manager address configured.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.16"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ids.auditd",
    "section": "5.2",
    "title": "auditd monitors system calls",
    "expect": "auditd installed, enabled, running (live), with rules loaded that watch identity files (/etc/passwd, shadow, group, gshadow, sudoers, sudoers.d), sshd_config and privileged command use; rules set immutable (-e 2) in the strict profile.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1",
        "A.12.4.3"
      ],
      "iso27001:2022": [
        "8.15"
      ],
      "gdpr": [
        "Art. 5(1)(f)",
        "Art. 32(1)(b)"
      ]
    }
  },
  {
    "id": "ids.file-integrity",
    "section": "5.2",
    "title": "File integrity is monitored",
    "expect": "AIDE or Tripwire installed, its database initialised, and a periodic check scheduled (cron or systemd timer).",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.4.1"
      ],
      "iso27001:2022": [
        "8.16"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ids.vulnerability-scans",
    "section": "5.2",
    "title": "Regular vulnerability scans (OpenVAS, Nessus)",
    "expect": "Attestation of the scanner, its schedule and the date of the last scan (--date); a date older than the configured period (default 31 days) is a finding.",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.6.1"
      ],
      "iso27001:2022": [
        "8.8"
      ],
      "gdpr": []
    }
  },
  {
    "id": "tls.web-https",
    "section": "7.1",
    "title": "Web traffic is encrypted in transit",
    "expect": "Live: 443 answers TLS 1.2+ with a certificate that is valid for at least 14 more days; 80 answers only with a redirect to https. Offline: the web server config (nginx, Apache, Caddy) shows the same.",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.10.1.1",
        "A.13.1.1"
      ],
      "iso27001:2022": [
        "8.24",
        "8.20"
      ],
      "gdpr": [
        "Art. 32(1)(a)"
      ]
    }
  },
  {
    "id": "gdpr.retention-policy",
    "section": "7.1",
    "title": "Data retention policies are defined",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.18.1.4"
      ],
      "iso27001:2022": [
        "5.34"
      ],
      "gdpr": [
        "Art. 5(1)(e)"
      ]
    }
  },
  {
    "id": "gdpr.erasure",
    "section": "7.1",
    "title": "The right to be forgotten is implemented",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.18.1.4"
      ],
      "iso27001:2022": [
        "5.34"
      ],
      "gdpr": [
        "Art. 17"
      ]
    }
  },
  {
    "id": "dev.secure-development-policy",
    "section": "7.2",
    "title": "A secure development policy is in force",
    "kind": "attestation",
    "severity": "low",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.14.2.1"
      ],
      "iso27001:2022": [
        "8.25"
      ],
      "gdpr": []
    }
  },
  {
    "id": "svc.expected-running",
    "section": "8",
    "title": "The expected services run",
    "expect": "Live: the configured services (default postgres, redis-server, uvicorn) have processes; evidence lists each with user, pid and listening sockets. A service running as root that need not (redis, postgres, the app server) is a finding.",
    "kind": "automated",
    "severity": "medium",
    "modes": [
      "live"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.1.2"
      ],
      "iso27001:2022": [
        "8.9",
        "8.32"
      ],
      "gdpr": []
    }
  },
  {
    "id": "ir.plan",
    "section": "9.1",
    "title": "An incident response plan exists (containment, forensics, communication, recovery)",
    "kind": "attestation",
    "severity": "medium",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.16.1.5"
      ],
      "iso27001:2022": [
        "5.26"
      ],
      "gdpr": []
    }
  },
  {
    "id": "backup.encrypted",
    "section": "9.2",
    "title": "Backup files are encrypted",
    "expect": "Every file under the configured backup locations is encrypted (age, GPG/OpenPGP, openssl enc) or lives in an encrypted repository (restic, borg with encryption, kopia); a plain dump (SQL text, PGDMP, tar, gzip of those) is a critical finding.",
    "kind": "automated",
    "severity": "critical",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.3.1",
        "A.10.1.1"
      ],
      "iso27001:2022": [
        "8.13",
        "8.24"
      ],
      "gdpr": [
        "Art. 32(1)(a)",
        "Art. 32(1)(c)"
      ]
    }
  },
  {
    "id": "backup.offsite",
    "section": "9.2",
    "title": "Backups are stored offsite",
    "expect": "The backup tool's configuration or schedule sends to a remote destination (restic/borg/rclone/S3/SFTP repository not on this host).",
    "kind": "evidence",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.3.1"
      ],
      "iso27001:2022": [
        "8.13"
      ],
      "gdpr": []
    }
  },
  {
    "id": "backup.restore-tested",
    "section": "9.2",
    "title": "Restores are tested quarterly",
    "expect": "The last restore test is younger than 92 days: an attestation of this id whose date is the date of the test (rampart attest backup.restore-tested --status pass --date YYYY-MM-DD).",
    "kind": "evidence",
    "severity": "high",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.3.1"
      ],
      "iso27001:2022": [
        "8.13"
      ],
      "gdpr": [
        "Art. 32(1)(c)",
        "Art. 32(1)(d)"
      ]
    }
  },
  {
    "id": "backup.integrity",
    "section": "9.2",
    "title": "Backup integrity is verified",
    "expect": "Each backup has a checksum manifest or repository check that verifies now (sha256 manifests, restic/borg check).",
    "kind": "automated",
    "severity": "high",
    "modes": [
      "live",
      "offline"
    ],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.3.1"
      ],
      "iso27001:2022": [
        "8.13"
      ],
      "gdpr": []
    }
  },
  {
    "id": "docs.signed-checklist",
    "section": "10",
    "title": "The hardening checklist is completed and signed off",
    "expect": "A signed-off checklist (section 6) exists for this host, younger than the review period, and its signature verifies.",
    "kind": "evidence",
    "severity": "low",
    "modes": [],
    "profile": "guide",
    "controls": {
      "iso27001:2013": [
        "A.12.1.1"
      ],
      "iso27001:2022": [
        "5.37"
      ],
      "gdpr": []
    }
  }
];

export const CHECKLIST: ChecklistSpec = {
  "pre": [
    {
      "text": "Verify firewall rules are configured correctly",
      "requirements": [
        "fw.enabled",
        "fw.default-deny-incoming",
        "fw.allowed-ports-only",
        "fw.ssh-rate-limit",
        "fw.ssh-admin-sources"
      ]
    },
    {
      "text": "Confirm SSH hardening settings",
      "requirements": [
        "ssh.root-login-disabled",
        "ssh.password-auth-disabled",
        "ssh.pubkey-auth-enabled",
        "ssh.protocol-2",
        "ssh.idle-timeout",
        "ssh.allowed-users",
        "ssh.x11-forwarding-disabled",
        "ssh.tcp-keepalive",
        "ssh.usedns-disabled",
        "ssh.config-valid"
      ]
    },
    {
      "text": "Validate fail2ban is running and configured",
      "requirements": [
        "f2b.running",
        "f2b.sshd-jail",
        "f2b.log-source"
      ]
    },
    {
      "text": "Check OS patch levels",
      "requirements": [
        "patch.auto-security-updates",
        "patch.pending-security-updates"
      ]
    },
    {
      "text": "Verify container security settings",
      "requirements": [
        "docker.non-root",
        "docker.read-only-rootfs",
        "docker.capabilities",
        "docker.content-trust"
      ]
    }
  ],
  "post": [
    {
      "text": "Test security configurations",
      "requirements": [
        "ssh.config-valid",
        "svc.expected-running"
      ],
      "note": "ticked by a complete audit run with no failure at or above high severity"
    },
    {
      "text": "Verify logging and monitoring setup",
      "requirements": [
        "log.centralized",
        "log.retention",
        "log.security-events",
        "log.alerts",
        "ids.hids",
        "ids.auditd",
        "ids.file-integrity"
      ]
    },
    {
      "text": "Run vulnerability scan",
      "requirements": [
        "ids.vulnerability-scans",
        "docker.image-scanning"
      ]
    },
    {
      "text": "Document security configuration",
      "requirements": [
        "docs.signed-checklist"
      ]
    }
  ]
};
