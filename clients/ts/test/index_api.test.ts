// The index's REST API (docs/API.md) through the client's IndexApi, against the indexer `localnet` starts: a job
// posted, run and paid through the client is read back from the index (its status and split, its timeline,
// the client's and provider's stats) to the lamport, and the analytics say which source they read.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ASSIGN_BY_CLIENTS, IndexApi, IndexApiError, LAMPORT_MINT, NODE_HISTORY_NOTE, amountOf, clientActivity, collectPages, costFor, hourlyPrice,
  jobPda, providerActivity,
} from "../src";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repo, startNode, type Node } from "./localnet";
import { big, clientFor, rates, resultHash, sleep, terms } from "./fixtures";

let node: Node;
let api: IndexApi;

before(async () => {
  node = await startNode();
  assert.ok(node.apiUrl, "localnet printed its index API's address");
  api = new IndexApi(node.apiUrl!);
});
after(() => node.stop());

/** Polls `check` until it returns a value (the indexer follows the node within seconds). */
async function indexed<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`the index did not show ${what} within ${ms} ms${last ? ` (last: ${String(last)})` : ""}`);
}

// Only the sBPF artifact logs the program's events (natively `emit!` is a no-op): without it there is nothing to index.
const noArtifact = !existsSync(join(repo, "target/deploy/compute_market.so"))
  && "SKIPPED: no sBPF artifact (make sbf); the native program logs no events to index";

describe("the index's API", { skip: noArtifact }, () => {
  it("answers its health, and names a bad parameter and an unknown address in its errors", async () => {
    const health = await api.health();
    assert.ok(["ok", "catching_up"].includes(health.status), JSON.stringify(health));
    const bad = await api.jobs({ limit: 100_000 }).catch((e: unknown) => e);
    assert.ok(bad instanceof IndexApiError && bad.status === 400, String(bad));
    assert.equal(bad.parameter, "limit");
    const missing = await api.job((await jobPda(node.admin.address, 99))[0]).catch((e: unknown) => e);
    assert.ok(missing instanceof IndexApiError && missing.status === 404, String(missing));
  });

  it("reads back a job posted, run and paid: its status and split, its timeline and the parties' stats, to the lamport", async () => {
    const providerKey = await node.fund(10);
    const clientKey = await node.fund(10);
    const provider = clientFor(node, providerKey);
    const client = clientFor(node, clientKey);
    await provider.send([await provider.registerProvider({ cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 }, rates(36_000_000_000, 10_000), "http://p.example", ASSIGN_BY_CLIENTS)]);
    const maxPrice = 40_000_000_000n;
    await client.send([await client.registerClient(), await client.postJob(0, terms(1, maxPrice, 60))]);
    const [job] = await jobPda(clientKey.address, 0);

    const open = await indexed("the posted job", () => IndexApi.orNull(api.job(job)).then((j) => j ?? undefined));
    assert.equal(open.status, "open");
    assert.equal(open.escrow, costFor(maxPrice, 60));
    assert.equal(open.max_price_per_hour, maxPrice);
    assert.equal(open.mint, LAMPORT_MINT);
    assert.equal(open.client, clientKey.address);
    const openJobs = await api.jobs({ client: clientKey.address, status: "open" });
    assert.deepEqual(openJobs.items.map((j) => j.address), [job]);

    const price = hourlyPrice((await client.getProvider(providerKey.address)).rates, (await client.getJob(job)).requirements);
    await provider.send([await provider.assignJob(job, clientKey.address, providerKey.address, price)]);
    await provider.send([await provider.startJob(job)]);
    await sleep(2_100);
    await provider.send([await provider.submitResult(job, resultHash())]);
    await client.send([await client.completeAndPay(job, 4)]);
    const account = await client.getJob(job);
    const [payout, fee, refund] = [big(account.providerPayout), big(account.fee), big(account.clientRefund)];
    assert.ok(payout > 0n && fee > 0n);

    const paid = await indexed("the paid job", async () => {
      const j = await api.job(job);
      return j.status === "completed" ? j : undefined;
    });
    assert.equal(paid.outcome, "accepted");
    assert.equal(paid.provider, providerKey.address);
    assert.equal(paid.agreed_price_per_hour, price);
    assert.equal(paid.provider_payout, payout);
    assert.equal(paid.fee, fee);
    // As the account's clientRefund: what assignment returned (the escrow above the agreed price, which the
    // JobAssigned event carries) plus what the settlement returned; the vault is empty.
    const atAssignment = costFor(maxPrice, 60) - costFor(price, 60);
    assert.equal(paid.refund, refund);
    assert.equal(paid.escrow, 0n);
    assert.equal(paid.provider_payout + paid.fee + paid.refund, costFor(maxPrice, 60), "every lamport posted is accounted for");
    assert.equal(paid.rating, 4);
    assert.ok(paid.settled_at !== null && paid.submitted_at !== null && paid.started_at !== null);

    // The timeline, oldest first, a page of two at a time.
    const timeline = await indexed("the job's timeline", async () => {
      const { items } = await collectPages((cursor) => api.jobEvents(job, { limit: 2, cursor }));
      return items.some((e) => e.name === "JobCompleted") ? items : undefined;
    });
    assert.deepEqual(timeline.map((e) => e.name), ["JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted", "JobCompleted"]);
    assert.equal(BigInt(String(timeline[1].data.refund)), atAssignment);
    const completed = timeline[4].data;
    assert.equal(BigInt(String(completed.refund)), paid.refund - atAssignment);
    assert.equal(BigInt(String(completed.provider_payout)), payout);
    assert.equal(BigInt(String(completed.fee)), fee);
    assert.equal(completed.rating, 4);
    assert.equal(completed.auto_released, false);
    const slots = timeline.map((e) => e.slot);
    assert.deepEqual(slots, [...slots].sort((a, b) => a - b));

    // The client's stats: what it spent (fees included), its fees, what came back.
    const stats = await indexed("the client's stats", async () => {
      const s = await api.clientStats(clientKey.address);
      return s.client.jobs_completed === 1 ? s : undefined;
    });
    assert.equal(stats.client.jobs_posted, 1);
    assert.equal(stats.client.lamports_spent, payout + fee);
    assert.equal(amountOf(stats.totals.spent), payout + fee);
    assert.equal(amountOf(stats.totals.fees), fee);
    assert.equal(stats.totals.jobs_posted, 1);
    assert.equal(stats.totals.jobs_completed, 1);

    const providerStats = await api.providerStats(providerKey.address);
    assert.equal(providerStats.totals.jobs_completed, 1);
    assert.equal(providerStats.totals.jobs_failed, 0);
    assert.equal(providerStats.totals.completion_rate_bps, 10_000);
    assert.equal(amountOf(providerStats.totals.earnings), payout);
    assert.equal(providerStats.provider.lamports_earned, payout);

    // The analytics: from the index with its URL, from the node's recent transactions without, the same money.
    const fromIndex = await clientActivity(node.rpc, clientKey.address, { apiUrl: node.apiUrl });
    assert.equal(fromIndex?.source, "index");
    assert.equal(fromIndex?.note, null);
    assert.equal(fromIndex?.totals.lamports, payout + fee);
    assert.equal(fromIndex?.totals.fees, fee);
    assert.equal(fromIndex?.series.reduce((s, p) => s + p.lamports, 0n), payout + fee);
    const fromNode = await clientActivity(node.rpc, clientKey.address);
    assert.equal(fromNode?.source, "node");
    assert.equal(fromNode?.note, NODE_HISTORY_NOTE);
    assert.equal(fromNode?.totals.lamports, payout + fee);
    assert.equal(fromNode?.totals.jobsPosted, 1);
    const earned = await providerActivity(node.rpc, providerKey.address, { apiUrl: node.apiUrl });
    assert.equal(earned?.source, "index");
    assert.equal(earned?.totals.lamports, payout);
    assert.equal(earned?.totals.jobsCompleted, 1);
    assert.ok(earned?.totals.uptimeBps !== null && earned!.totals.uptimeBps! > 0, "registration counts as a heartbeat");
    assert.equal((await providerActivity(node.rpc, providerKey.address))?.totals.lamports, payout);
  });
});
