/**
 * Shared contract (fail2ban and firewall checks read `ports`). The sshd collector owns the rest.
 */
export interface SshdFacts {
  installed: boolean;
  /** The TCP ports sshd listens on (effective Port/ListenAddress), e.g. [22]. */
  ports: number[];
}
