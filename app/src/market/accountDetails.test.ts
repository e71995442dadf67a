// What the index lacks is read from the accounts: open jobs' bond terms (and GPU jobs' needs); other jobs are not read.
import { JobStatus, generated, type IndexJob, type MarketClient } from "@compute-market/client";
import { getBase64Decoder } from "@solana/kit";
import { describe, expect, it, vi } from "vitest";
import { withAccountDetails } from "./accountDetails";
import { JOB, randomAddress } from "./fixtures";
import { toJob } from "./indexed";

describe("account details of indexed jobs", () => {
  it("gives open jobs the minimum bond and slash share their accounts hold, and reads no other job", async () => {
    const open = toJob({ ...JOB, address: randomAddress(), provider: null, status: "open", agreed_price_per_hour: null } as unknown as IndexJob)!;
    const assigned = toJob(JOB as unknown as IndexJob)!;
    expect([open.account.minBond, assigned.account.minBond]).toEqual([0n, 0n]); // the index does not carry it
    const stored = generated.getJobEncoder().encode({
      ...open.account, minBond: 1_500_000_000n, slashBps: 2_500, reservedBond: new Uint8Array(6), reserved: new Uint8Array(3),
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
    const { jobs } = await withAccountDetails(client, [], [open, assigned]);
    expect(getMultipleAccounts).toHaveBeenCalledTimes(1);
    expect(getMultipleAccounts.mock.calls[0][0]).toEqual([open.address]);
    expect(jobs.map((j) => [j.account.status, j.account.minBond, j.account.slashBps])).toEqual([
      [JobStatus.Open, 1_500_000_000n, 2_500],
      [JobStatus.Assigned, 0n, 0],
    ]);
  });
});
