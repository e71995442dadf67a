// What the index lacks is read from the accounts: GPU jobs' needs; bond terms come with the index, other jobs are not read.
import { JobStatus, generated, type IndexJob, type MarketClient } from "@compute-market/client";
import { getBase64Decoder } from "@solana/kit";
import { describe, expect, it, vi } from "vitest";
import { withAccountDetails } from "./accountDetails";
import { JOB, randomAddress } from "./fixtures";
import { toJob } from "./indexed";

describe("account details of indexed jobs", () => {
  it("gives GPU jobs the needs their accounts hold, keeps the index's bond terms, and reads no other job", async () => {
    const gpuJob = toJob({ ...JOB, address: randomAddress(), provider: null, status: "open", agreed_price_per_hour: null, requirements: { ...JOB.requirements, gpus: 2 } } as unknown as IndexJob)!;
    const plain = toJob(JOB as unknown as IndexJob)!;
    expect([gpuJob.account.minBond, gpuJob.account.slashBps]).toEqual([500_000_000n, 2_500]);
    const needs = { models: [0x0202, 0, 0, 0], minVramGb: 80, family: 0 };
    const stored = generated.getJobEncoder().encode({
      ...gpuJob.account, gpu: needs, reservedBond: new Uint8Array(6), reserved: new Uint8Array(3),
      resultHash: new Uint8Array(32), specUri: { len: 0, bytes: new Uint8Array(200) },
    });
    const data = getBase64Decoder().decode(stored);
    const getMultipleAccounts = vi.fn((addresses: string[]) => ({
      send: async () => ({
        context: { slot: 1n },
        value: addresses.map(() => ({ data: [data, "base64"], executable: false, lamports: 1n, owner: randomAddress(), rentEpoch: 0n, space: BigInt(stored.length) })),
      }),
    }));
    const client = { rpc: { getMultipleAccounts } } as unknown as MarketClient;
    const { jobs } = await withAccountDetails(client, [], [gpuJob, plain]);
    expect(getMultipleAccounts).toHaveBeenCalledTimes(1);
    expect(getMultipleAccounts.mock.calls[0][0]).toEqual([gpuJob.address]);
    expect(jobs.map((j) => [j.account.status, j.account.gpu.minVramGb, j.account.minBond])).toEqual([
      [JobStatus.Open, 80, 500_000_000n],
      [JobStatus.Assigned, 0, 500_000_000n],
    ]);
  });
});
