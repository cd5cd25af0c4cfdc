/**
 * SecAgg+'s sparse neighbour graph (Bell, Bonawitz, Gascón, Lepoint & Raykova 2020): each client masks and shares
 * its secrets with k ≈ O(log n) neighbours instead of the whole cohort, so a client's cost grows with log n.
 * The graph is a Harary graph (a ring where each node links to the k/2 nearest on each side) over a random
 * permutation of the cohort, as in the paper: regular, connected, and the server cannot pick who neighbours whom
 * once the permutation is drawn from a cryptographic source.
 *
 * A client's secrets are shared among its k neighbours and itself (k + 1 holders) with threshold
 * t = ⌊(k + 1) / 2⌋ + 1, a strict majority: an honest holder reveals, for one client, either the share of its self
 * mask (it survived) or of its mask key (it dropped), never both, and two disjoint majorities cannot exist, so the
 * server never holds both secrets of one client. Up to (k + 1) − t holders of a client may drop and its secret is
 * still recovered: about half its neighbourhood, so a third of the cohort dropping at random leaves a wide margin.
 */

/** Neighbours per client for a cohort of n: 2⌈1.5·log2 n⌉ (even, for the Harary ring), or everyone else when n is small. */
export function neighbourCount(cohortSize: number): number {
  if (cohortSize < 2) return 0;
  const k = 2 * Math.ceil(1.5 * Math.log2(cohortSize));
  return Math.min(cohortSize - 1, k);
}

/** The Shamir threshold for k neighbours: a strict majority of the k + 1 holders. */
export function shareThreshold(neighbours: number): number {
  return Math.floor((neighbours + 1) / 2) + 1;
}

/**
 * The neighbours of each position 0 … n − 1 for `order`, a permutation of the positions (the ring order). With
 * k = n − 1 every client neighbours every other; otherwise (k even) each links to the k/2 before and after it in
 * the ring. Symmetric: v is u's neighbour exactly when u is v's.
 */
export function neighbourGraph(order: readonly number[], k: number): number[][] {
  const n = order.length;
  const graph: number[][] = Array.from({ length: n }, () => []);
  if (k >= n - 1) {
    for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (u !== v) graph[u].push(v);
    return graph;
  }
  if (k % 2 !== 0) throw new Error(`a Harary ring needs an even number of neighbours, not ${k}`);
  for (let i = 0; i < n; i++) {
    for (let d = 1; d <= k / 2; d++) {
      graph[order[i]].push(order[(i + d) % n], order[(i - d + n) % n]);
    }
  }
  for (const list of graph) list.sort((a, b) => a - b);
  return graph;
}

/** A uniformly random permutation of 0 … n − 1 (Fisher–Yates) from 32-bit random words. */
export function randomOrder(n: number, randomWord: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    // Rejection sampling: an unbiased index below i + 1.
    const limit = Math.floor(2 ** 32 / (i + 1)) * (i + 1);
    let r = randomWord();
    while (r >= limit) r = randomWord();
    const j = r % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
