import { BN } from "@anchor-lang/core";
import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, type Job, type Keyed, type Provider } from "@compute-market/client";
import { Keypair, PublicKey } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { canTake, clientCandidates } from "./assign";

const client = Keypair.generate().publicKey;
const n = (v: number) => new BN(v);

const open = (extra: Partial<Job> = {}): Job => ({
  client, status: JobStatus.Open, paymentMint: PublicKey.default, targetProvider: PublicKey.default,
  requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 1800, maxPricePerHour: n(3_000_000), minReputation: 0,
  ...extra,
} as Job);

function provider(perCore: number, extra: Partial<Provider> = {}): Keyed<Provider> {
  const account = {
    authority: Keypair.generate().publicKey, active: 1, retired: 0, reputation: 5000, assignment: ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER,
    rates: { perCore: n(perCore), perGbRam: n(1), perGbStorage: n(0), perGpu: n(0) },
    free: { cpuCores: 8, ramGb: 64, storageGb: 0, gpus: 0 },
    ...extra,
  } as Provider;
  return { address: Keypair.generate().publicKey, account };
}

describe("who could take an open job", () => {
  it("checks what assign_job checks: open, lamports, the target, not the client's own, active, capacity, price, reputation", () => {
    const fits = provider(1_000_000);
    expect(canTake(open(), fits.account)).toBe(true);
    expect(canTake(open({ status: JobStatus.Assigned }), fits.account)).toBe(false);
    expect(canTake(open({ paymentMint: Keypair.generate().publicKey }), fits.account)).toBe(false);
    expect(canTake(open({ targetProvider: Keypair.generate().publicKey }), fits.account)).toBe(false);
    expect(canTake(open({ targetProvider: fits.account.authority }), fits.account)).toBe(true);
    expect(canTake(open(), provider(1_000_000, { authority: client }).account)).toBe(false);
    expect(canTake(open(), provider(1_000_000, { active: 0 }).account)).toBe(false);
    expect(canTake(open(), provider(1_000_000, { retired: 1 }).account)).toBe(false);
    expect(canTake(open(), provider(1_000_000, { free: { cpuCores: 1, ramGb: 64, storageGb: 0, gpus: 0 } }).account)).toBe(false);
    expect(canTake(open(), provider(1_500_000).account)).toBe(false); // 3,000,004 per hour: above the maximum
    expect(canTake(open({ minReputation: 5001 }), fits.account)).toBe(false);
  });

  it("offers the client only providers that let clients assign them, cheapest first, at the price the assignment is bound by", () => {
    const cheap = provider(500_000);
    const dear = provider(1_000_000);
    const matcherOnly = provider(100_000, { assignment: ASSIGN_BY_MATCHER });
    const acceptOnly = provider(100_000, { assignment: 0 });
    const candidates = clientCandidates(open(), [dear, matcherOnly, cheap, acceptOnly]);
    expect(candidates.map((c) => [c.provider.address, c.pricePerHour, c.cost])).toEqual([
      [cheap.address, 1_000_004n, 500_002n],
      [dear.address, 2_000_004n, 1_000_002n],
    ]);
  });
});
