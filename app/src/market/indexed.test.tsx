// Which source the dApp reads (the index when the cluster has an apiUrl, else the node, saying so), and
// what the index's answers become for the screens.
import { IndexApi, JobStatus, NODE_HISTORY_NOTE, type IndexEvent, type IndexJob, type IndexMarketStats, type IndexProvider } from "@compute-market/client";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { describeEvent } from "./timeline";
import { ACCOUNT_KEY, CLIENT_KEY, JOB, PROVIDER, PROVIDER_KEY } from "./fixtures";
import { figuresFrom, timedFromIndex, toJob, toProvider, waitForSlot } from "./indexed";
import { indexFor } from "./MarketContext";

let note: string | null = null;
vi.mock("./MarketContext", async (original) => ({ ...(await original<object>()), useMarket: () => ({ note }) }));
const { SourceNote } = await import("../components/SourceNote");

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const decodeJob = (j: unknown) => j as IndexJob;
const job = (fields: Partial<IndexJob>): IndexJob => ({ ...decodeJob({ ...JOB }), max_price_per_hour: 10_000_000n, agreed_price_per_hour: 2_004_000n, escrow: 2_004_000n, provider_payout: 0n, fee: 0n, refund: 7_996_000n, ...fields });
const provider: IndexProvider = {
  ...(PROVIDER as unknown as IndexProvider), lamports_earned: 1_900_000n,
  rates: { per_core: 1_000_000n, per_gb_ram: 1_000n, per_gb_storage: 0n, per_gpu: 0n },
};

describe("the source the dApp reads", () => {
  it("is the index when the cluster has an http(s) apiUrl, else the node", () => {
    expect(indexFor(null)).toBeNull();
    expect(indexFor("")).toBeNull();
    expect(indexFor("ftp://x")).toBeNull();
    expect(indexFor("http://127.0.0.1:8901/")?.baseUrl).toBe("http://127.0.0.1:8901");
  });

  it("shows a note when there is no index, and none when there is", () => {
    note = NODE_HISTORY_NOTE;
    render(<SourceNote />);
    expect(screen.getByTestId("no-index").textContent).toBe("no index configured: lists come from the node and history is limited to recent transactions");
    cleanup();
    note = null;
    render(<SourceNote />);
    expect(screen.queryByTestId("no-index")).toBeNull();
  });
});

describe("the index's answers as the screens use them", () => {
  it("turn an indexed job into the program's Job account, and drop closed ones", () => {
    const keyed = toJob(job({}))!;
    expect(keyed.address).toBe(JOB.address);
    expect(keyed.account.status).toBe(JobStatus.Assigned);
    expect(keyed.account.provider).toBe(PROVIDER_KEY);
    expect(keyed.account.agreedPricePerHour).toBe(2_004_000n);
    expect(keyed.account.escrow).toBe(2_004_000n);
    expect(keyed.account.paymentMint).toBe("11111111111111111111111111111111");
    expect(keyed.account.specHash).toEqual(new Uint8Array(32).fill(0xab));
    expect(toJob(job({ provider: null, status: "open", agreed_price_per_hour: null }))!.account.provider).toBe("11111111111111111111111111111111");
    expect(() => toJob(job({ client: "not a key" }))).toThrow("not an address");
    expect(toJob(job({ closed: true }))).toBeNull();
    expect(toJob(job({ status: "cancelled" }))).toBeNull();
  });

  it("turn an indexed provider into the program's Provider account, counting its jobs in flight and paying clients", () => {
    const jobs = [job({}), job({ status: "completed", provider_payout: 5n, client: ACCOUNT_KEY }), job({ status: "completed", provider_payout: 5n, client: CLIENT_KEY, closed: true })];
    const { address, account } = toProvider(provider, jobs);
    expect(address).toBe(ACCOUNT_KEY);
    expect(account.activeJobs).toBe(1);
    expect(account.counterparties).toBe(2n);
    expect(account.totalEarned).toBe(1_900_000n);
    expect(account.rates.perCore).toBe(1_000_000n);
    expect(new TextDecoder().decode(account.metadataUri.bytes.slice(0, account.metadataUri.len))).toBe("http://127.0.0.1:7000");
    expect([account.active, account.retired]).toEqual([1, 0]);
  });

  it("keep only plain fields of an event, and describe snake_case enums and hex hashes", () => {
    const event = (name: string, data: Record<string, unknown>): IndexEvent => ({ id: 1, signature: "5".repeat(64), instruction: 0, slot: 9, block_time: 50, name, finalized: true, data });
    const expired = timedFromIndex(event("JobExpired", { reason: "not_started", refund: 500, timestamp: 1_700_000_000, nested: { toString: 1 } }));
    expect(expired.time).toBe(1_700_000_000);
    expect(expired.data.nested).toBeUndefined();
    expect(describeEvent(expired)).toBe("Expired: the provider did not start it in time; 0.0000005 SOL refunded to the client");
    const released = timedFromIndex(event("JobReleased", { reason: "taken_back", provider: PROVIDER_KEY, max_price_per_hour: "18446744073709551615", escrow: "garbage" }));
    expect(released.time).toBe(50);
    expect(describeEvent(released)).toBe("Taken back by the client from 7xKX…gAsU: open again for at most 18446744073.709551615 SOL per hour, an unreadable amount escrowed");
    expect(describeEvent(timedFromIndex(event("ResultSubmitted", { result_hash: "cd".repeat(32), review_deadline: 0 })))).toMatch(/^Result submitted \(sha256 cdcdcdcdcdcdcdcd…\)/);
  });

  it("sum the market's figures: lamport volume and fees, fees not yet collected, each currency's, a series per day", () => {
    const zero = "11111111111111111111111111111111";
    const point = { jobs_posted: 2, jobs_assigned: 1, jobs_completed: 1, jobs_failed: 0, jobs_cancelled: 1, jobs_disputed: 0, volume: 1_000n, fees: 25n, refunds: 10n };
    const stats: IndexMarketStats = {
      bucket: "day", from: 0, to: 200_000, clients: 3, providers: { registered: 2, active: 1 },
      totals: [{ mint: zero, ...point }, { mint: ACCOUNT_KEY, ...point, volume: 7n }],
      series: [{ bucket_start: 86_400, mint: zero, ...point }, { bucket_start: 86_400, mint: ACCOUNT_KEY, ...point, volume: 7n }, { bucket_start: 0, mint: zero, ...point }],
    };
    const collected = [{ data: { amount: 20 } }, { data: { amount: "nonsense" } }] as unknown as IndexEvent[];
    const f = figuresFrom(stats, [toProvider(provider, []), toProvider({ ...provider, retired: true }, [])], collected);
    expect([f.providers, f.activeProviders, f.clients, f.jobsPosted, f.jobsCompleted, f.jobsCancelled]).toEqual([1, 1, 3, 4, 2, 2]);
    expect([f.volume, f.fees, f.feesUncollected]).toEqual([1_000n, 25n, 5n]);
    expect(f.byCurrency).toEqual([
      { mint: zero, jobsPosted: 2, jobsCompleted: 1, volume: 1_000n, fees: 25n, refunds: 10n },
      { mint: ACCOUNT_KEY, jobsPosted: 2, jobsCompleted: 1, volume: 7n, fees: 25n, refunds: 10n },
    ]);
    expect(f.series).toEqual([
      { time: 0, posted: 2, completed: 1, volume: 1_000n, fees: 25n },
      { time: 86_400, posted: 4, completed: 2, volume: 1_000n, fees: 25n },
    ]);
    expect(f.seriesByMint[ACCOUNT_KEY]).toEqual([{ time: 86_400, posted: 2, completed: 1, volume: 7n, fees: 25n }]);
  });

  it("wait for the index to reach a slot, but not forever", async () => {
    const health = (indexed_slot: number) => ({ status: "ok", program: PROVIDER_KEY, node_slot: 10, indexed_slot, finalized_slot: 0, lag_slots: 0, caught_up_at: null, seconds_since_caught_up: null, transactions: 0, events: 0, last_error: null });
    const slots = [3, 5, 9];
    const fetch = vi.fn(async () => new Response(JSON.stringify(health(slots.shift() ?? 9))));
    const api = new IndexApi("http://i", { fetch: fetch as never });
    expect(await waitForSlot(api, 9, 2_000, 1)).toBe(true);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(await waitForSlot(new IndexApi("http://i", { fetch: (async () => new Response(JSON.stringify(health(1)))) as never }), 9, 20, 5)).toBe(false);
  });
});
