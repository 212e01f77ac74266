// The one seeded PRNG of the test generators (compose, sshd, Fail2Ban, Redis, PostgreSQL): xorshift32
// with a mixed seed, so a seed names the same generated case on every machine.

export function rng(seed: number): () => number {
  // Small seeds give small first outputs in xorshift: mix the seed, then discard a few.
  let s = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}
