import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, LAMPORT_MINT, type Bond, type Job, type Keyed, type MintQuote, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { canTake, clientCandidates, priceFor } from "./assign";
import { estimate } from "./estimate";
import { randomAddress } from "./fixtures";

const client = randomAddress();
const mint = randomAddress();
const NONE = LAMPORT_MINT as Address;

const open = (extra: Partial<Job> = {}): Job => ({
  client, status: JobStatus.Open, paymentMint: NONE, targetProvider: NONE,
  requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 1800, maxPricePerHour: 3_000_000n, minReputation: 0,
  ...extra,
} as Job);

function provider(perCore: bigint, extra: Partial<Provider> = {}): Keyed<Provider> {
  const account = {
    authority: randomAddress(), active: 1, retired: 0, reputation: 5000, assignment: ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER,
    rates: { perCore, perGbRam: 1n, perGbStorage: 0n, perGpu: 0n },
    free: { cpuCores: 8, ramGb: 64, storageGb: 0, gpus: 0 },
    ...extra,
  } as Provider;
  return { address: randomAddress(), account };
}

const quote = (p: Keyed<Provider>, perCore: bigint, perGbRam: bigint, inMint = mint): Keyed<MintQuote> => ({
  address: randomAddress(), account: { provider: p.account.authority, mint: inMint, rates: { perCore, perGbRam, perGbStorage: 0n, perGpu: 0n } } as MintQuote,
});

describe("who could take an open job", () => {
  it("checks what assign_job checks: open, the target, not the client's own, active, capacity, price, reputation", () => {
    const fits = provider(1_000_000n);
    expect(canTake(open(), fits.account, [])).toBe(true);
    expect(canTake(open({ status: JobStatus.Assigned }), fits.account, [])).toBe(false);
    expect(canTake(open({ targetProvider: randomAddress() }), fits.account, [])).toBe(false);
    expect(canTake(open({ targetProvider: fits.account.authority }), fits.account, [])).toBe(true);
    expect(canTake(open(), provider(1_000_000n, { authority: client }).account, [])).toBe(false);
    expect(canTake(open(), provider(1_000_000n, { active: 0 }).account, [])).toBe(false);
    expect(canTake(open(), provider(1_000_000n, { retired: 1 }).account, [])).toBe(false);
    expect(canTake(open(), provider(1_000_000n, { free: { cpuCores: 1, ramGb: 64, storageGb: 0, gpus: 0 } }).account, [])).toBe(false);
    expect(canTake(open(), provider(1_500_000n).account, [])).toBe(false); // 3,000,004 per hour: above the maximum
    expect(canTake(open({ minReputation: 5001 }), fits.account, [])).toBe(false);
  });

  it("prices a token job by the provider's quote in its mint, and leaves it to providers that quote it", () => {
    const quoting = provider(9_000_000n); // its lamport rates would be above the maximum: the quote prices the job
    const other = provider(1n);
    const quotes = [quote(quoting, 1_000_000n, 250_000n), quote(other, 1n, 1n, randomAddress())];
    const job = open({ paymentMint: mint });
    expect(priceFor(job, quoting.account, quotes)).toBe(3_000_000n);
    expect(canTake(job, quoting.account, quotes)).toBe(true);
    expect(canTake(job, other.account, quotes)).toBe(false); // its quote is in another mint
    expect(canTake({ ...job, maxPricePerHour: 2_999_999n }, quoting.account, quotes)).toBe(false);
    // A quote with no rate for a resource the job needs is refused by the program (InvalidRates): not offered.
    expect(priceFor(job, quoting.account, [quote(quoting, 1_000_000n, 0n)])).toBeNull();
    expect(canTake(job, quoting.account, [quote(quoting, 1_000_000n, 0n)])).toBe(false);
  });

  it("offers the client only providers that let clients assign them, cheapest first, at the price the assignment is bound by", () => {
    const cheap = provider(500_000n);
    const dear = provider(1_000_000n);
    const matcherOnly = provider(100_000n, { assignment: ASSIGN_BY_MATCHER });
    const acceptOnly = provider(100_000n, { assignment: 0 });
    const candidates = clientCandidates(open(), [dear, matcherOnly, cheap, acceptOnly], []);
    expect(candidates.map((c) => [c.provider.address, c.pricePerHour, c.cost])).toEqual([
      [cheap.address, 1_000_004n, 500_002n],
      [dear.address, 2_000_004n, 1_000_002n],
    ]);
    const quotes = [quote(dear, 100n, 10n), quote(cheap, 300n, 10n)];
    expect(clientCandidates(open({ paymentMint: mint }), [dear, matcherOnly, cheap], quotes).map((c) => [c.provider.address, c.pricePerHour, c.cost]))
      .toEqual([[dear.address, 240n, 120n], [cheap.address, 640n, 320n]]);
  });
});

describe("bonded jobs", () => {
  const bond = (p: Keyed<Provider>, held: bigint, locked = 0n, pending = 0n, inMint: string = NONE): Keyed<Bond> => ({
    address: randomAddress(), account: { provider: p.account.authority, mint: inMint, held, locked, pending } as Bond,
  });

  it("go only to providers with the minimum bond free in the job's currency, as assign_job locks it", () => {
    const bonded = provider(1_000_000n);
    const job = open({ minBond: 1_000_000_000n });
    expect(canTake(job, bonded.account, [])).toBe(false); // no bond known: none free
    expect(canTake(job, bonded.account, [], [bond(bonded, 1_000_000_000n)])).toBe(true);
    expect(canTake(job, bonded.account, [], [bond(bonded, 1_500_000_000n, 400_000_000n, 100_000_001n)])).toBe(false); // 999,999,999 free
    expect(canTake(job, bonded.account, [], [bond(bonded, 5_000_000_000n, 0n, 0n, mint)])).toBe(false); // a bond in another currency
    expect(canTake(job, provider(1_000_000n).account, [], [bond(bonded, 5_000_000_000n)])).toBe(false); // someone else's bond
    expect(canTake(open({ minBond: 0n }), bonded.account, [])).toBe(true);
    expect(clientCandidates(job, [bonded, provider(500_000n)], [], [bond(bonded, 1_000_000_000n)]).map((c) => c.provider.address)).toEqual([bonded.address]);
  });

  it("count in the post form's estimate only the providers whose free bond covers it", () => {
    const [rich, poor] = [provider(1_000_000n), provider(500_000n)];
    const request = { requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 1800, maxPricePerHour: 3_000_000n, minReputation: 0 };
    const bonds = [bond(rich, 2_000_000_000n), bond(poor, 1n)];
    expect(estimate(request, NONE, [rich, poor], client, [], bonds).fitting).toBe(2);
    const bonded = estimate({ ...request, minBond: 2_000_000_000n }, NONE, [rich, poor], client, [], bonds);
    expect(bonded).toEqual({ escrow: 1_500_000n, fitting: 1, cheapest: { pricePerHour: 2_000_004n, cost: 1_000_002n } });
  });
});
