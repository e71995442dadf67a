import { JobStatus, LAMPORT_MINT, TAKE_BACK_AFTER_SECS, type Job, type Keyed, type MintQuote, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { jobActions } from "./actions";
import { estimate } from "./estimate";
import { randomAddress } from "./fixtures";

const client = randomAddress();
const provider = randomAddress();
const stranger = randomAddress();
const n = (v: number) => BigInt(v);

type Times = "assignedAt" | "startDeadline" | "runDeadline" | "graceDeadline" | "reviewDeadline" | "disputeDeadline";

function job(status: JobStatus, times: Partial<Record<Times, number>> = {}): Job {
  return {
    client, provider: status === JobStatus.Open ? (LAMPORT_MINT as Address) : provider, status,
    assignedAt: n(times.assignedAt ?? 0),
    startDeadline: n(times.startDeadline ?? 0), runDeadline: n(times.runDeadline ?? 0), graceDeadline: n(times.graceDeadline ?? 0),
    reviewDeadline: n(times.reviewDeadline ?? 0), disputeDeadline: n(times.disputeDeadline ?? 0),
  } as Job;
}
/** The actions offered now (those waiting for a later time included, as the screen shows them disabled). */
const names = (j: Job, me: Address | null, now: number) => jobActions(j, me, now).map((a) => a.action);
const waiting = (j: Job, me: Address | null, now: number) => jobActions(j, me, now).filter((a) => a.from !== undefined).map((a) => [a.action, a.from]);

describe("actions by state", () => {
  it("lets only the client cancel an open job", () => {
    expect(names(job(JobStatus.Open), client, 0)).toEqual(["cancel"]);
    expect(names(job(JobStatus.Open), stranger, 0)).toEqual([]);
    expect(names(job(JobStatus.Open), null, 0)).toEqual([]);
  });

  it("lets the provider start or decline an assigned job, and anyone expire it after the start deadline", () => {
    const assigned = job(JobStatus.Assigned, { assignedAt: 1_000, startDeadline: 1_600 });
    expect(names(assigned, provider, 1_600)).toEqual(["start", "decline"]);
    expect(names(assigned, provider, 1_601)).toEqual(["decline", "expire"]);
    expect(names(assigned, stranger, 1_600)).toEqual([]);
    expect(names(assigned, stranger, 1_601)).toEqual(["expire"]);
  });

  it("offers the client to take back an unstarted job, available TAKE_BACK_AFTER_SECS after its assignment", () => {
    expect(TAKE_BACK_AFTER_SECS).toBe(600);
    const assigned = job(JobStatus.Assigned, { assignedAt: 1_000, startDeadline: 5_000 });
    expect(names(assigned, client, 1_000)).toEqual(["take-back"]);
    expect(waiting(assigned, client, 1_000)).toEqual([["take-back", 1_600]]);
    expect(waiting(assigned, client, 1_599)).toEqual([["take-back", 1_600]]);
    expect(waiting(assigned, client, 1_600)).toEqual([]);
    expect(names(assigned, client, 1_600)).toEqual(["take-back"]);
    expect(names(assigned, provider, 1_600)).not.toContain("take-back");
  });

  it("never offers to dispute a running job, and offers expiry after its grace", () => {
    const running = job(JobStatus.Running, { runDeadline: 100, graceDeadline: 200 });
    expect(names(running, provider, 50)).toEqual(["submit"]);
    expect(names(running, client, 50)).toEqual([]);
    expect(names(running, client, 101)).toEqual([]);
    expect(names(running, client, 201)).toEqual(["expire"]);
    expect(names(running, provider, 200)).toEqual(["submit"]);
    expect(names(running, provider, 201)).toEqual(["expire"]);
  });

  it("lets the client complete or dispute during review, and anyone finalize after it", () => {
    const submitted = job(JobStatus.Submitted, { reviewDeadline: 100 });
    expect(names(submitted, client, 100)).toEqual(["complete", "dispute"]);
    expect(names(submitted, provider, 100)).toEqual([]);
    expect(names(submitted, provider, 101)).toEqual(["finalize"]);
    expect(names(submitted, client, 101)).toEqual(["finalize"]);
  });

  it("settles unruled disputes by expiry and closes settled jobs for their client", () => {
    expect(names(job(JobStatus.Disputed, { disputeDeadline: 100 }), client, 100)).toEqual([]);
    expect(names(job(JobStatus.Disputed, { disputeDeadline: 100 }), stranger, 101)).toEqual(["expire"]);
    expect(jobActions(job(JobStatus.Disputed, { disputeDeadline: 100 }), stranger, 101)[0].because).toMatch(/default split \(50% of the pay/);
    for (const status of [JobStatus.Completed, JobStatus.Expired, JobStatus.Resolved]) {
      expect(names(job(status), client, 0)).toEqual(["close"]);
      expect(names(job(status), provider, 0)).toEqual([]);
    }
  });
});

function offer(authority: Address, perCore: number, free: number, extra: Partial<Provider> = {}): Keyed<Provider> {
  const account = {
    authority, active: 1, reputation: 5000,
    rates: { perCore: n(perCore), perGbRam: n(0), perGbStorage: n(0), perGpu: n(0) },
    free: { cpuCores: free, ramGb: 64, storageGb: 0, gpus: 0 },
    ...extra,
  } as Provider;
  return { address: randomAddress(), account };
}

describe("estimate", () => {
  const request = { requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 1800, maxPricePerHour: 3_000_000n, minReputation: 0 };

  it("escrows the maximum and counts the providers that fit, cheapest first", () => {
    const providers = [
      offer(stranger, 1_000_000, 8),
      offer(randomAddress(), 1_400_000, 2),
      offer(randomAddress(), 2_000_000, 8), // 4,000,000 per hour: above the maximum
      offer(randomAddress(), 500_000, 1), // too few free cores
      offer(randomAddress(), 500_000, 8, { active: 0 }),
      offer(client, 100_000, 8), // the client's own provider
    ];
    expect(estimate(request, LAMPORT_MINT, providers, client, [])).toEqual({
      escrow: 1_500_000n,
      fitting: 2,
      cheapest: { pricePerHour: 2_000_000n, cost: 1_000_000n },
    });
  });

  it("applies the minimum reputation and says when nobody fits", () => {
    const providers = [offer(stranger, 1_000_000, 8, { reputation: 4999 })];
    expect(estimate({ ...request, minReputation: 5000 }, LAMPORT_MINT, providers, null, [])).toEqual({ escrow: 1_500_000n, fitting: 0, cheapest: null });
    expect(estimate({ ...request, minReputation: 4999 }, LAMPORT_MINT, providers, null, []).fitting).toBe(1);
  });

  it("prices a job in a token by the quotes in that mint only", () => {
    const mint = randomAddress();
    const quoting = offer(stranger, 1_000_000, 8);
    const quotes = [{ address: randomAddress(), account: { provider: stranger, mint, rates: { perCore: 700_000n, perGbRam: 1n, perGbStorage: 0n, perGpu: 0n } } as MintQuote }];
    expect(estimate(request, mint, [quoting, offer(randomAddress(), 1, 8)], client, quotes)).toEqual({
      escrow: 1_500_000n, fitting: 1, cheapest: { pricePerHour: 1_400_004n, cost: 700_002n },
    });
    expect(estimate(request, randomAddress(), [quoting], client, quotes).fitting).toBe(0);
  });
});
