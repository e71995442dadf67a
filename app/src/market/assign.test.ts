import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, LAMPORT_MINT, type Job, type Keyed, type MintQuote, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { canTake, clientCandidates, priceFor } from "./assign";
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
