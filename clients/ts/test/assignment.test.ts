// Who may assign a provider a job (its published policy), at no more than the price the signer saw; and how an
// assigned, unstarted job goes back to Open: declined by its provider, or taken back by its client.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Address, KeyPairSigner } from "@solana/kit";
import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, DEFAULT_ADDRESS, TAKE_BACK_AFTER_SECS, costFor, decodeEvents, hourlyPrice, jobPda, type MarketClient } from "../src";
import { readKeypair, startNode, type Node } from "./localnet";
import { big, clientFor, logsOf, rates, refusedAs, terms } from "./fixtures";

let node: Node;
before(async () => {
  node = await startNode();
});
after(() => node.stop());

const CAPACITY = { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 };
const RATES = rates(1_000_000, 10_000);

async function provider(assignment: number): Promise<{ key: KeyPairSigner; client: MarketClient }> {
  const key = await node.fund(5);
  const client = clientFor(node, key);
  await client.send([await client.registerProvider(CAPACITY, RATES, "http://p.example", assignment)]);
  return { key, client };
}

/** A client with `count` open jobs of one core for an hour at up to 0.01 SOL per hour. */
async function clientWithJobs(count: number): Promise<{ key: KeyPairSigner; client: MarketClient; jobs: Address[] }> {
  const key = await node.fund(5);
  const client = clientFor(node, key);
  const posts = await Promise.all(Array.from({ length: count }, (_, id) => client.postJob(id, terms(1, 10_000_000))));
  await client.send([await client.registerClient(), ...posts]);
  const jobs = await Promise.all(Array.from({ length: count }, async (_, id) => (await jobPda(key.address, id))[0]));
  return { key, client, jobs };
}

const price = hourlyPrice(RATES, terms(1, 0).requirements);

describe("assignment", () => {
  it("follows the provider's published policy: itself always, clients and the matcher only where it opted in", async () => {
    const p = await provider(0);
    const c = await clientWithJobs(3);
    const matcherKey = await readKeypair(join(node.keys, "matcher.json"));
    const matcher = clientFor(node, matcherKey);
    const [byClient, byMatcher, byProvider] = c.jobs;

    await refusedAs(c.client.send([await c.client.assignJob(byClient, c.key.address, p.key.address, price)]), "NotAssigner");
    await refusedAs(matcher.send([await matcher.assignJob(byMatcher, c.key.address, p.key.address, price)]), "NotAssigner");

    await p.client.send([await p.client.updateProvider({ assignment: ASSIGN_BY_CLIENTS })]);
    assert.equal((await p.client.getProvider(p.key.address)).assignment, ASSIGN_BY_CLIENTS);
    await refusedAs(matcher.send([await matcher.assignJob(byMatcher, c.key.address, p.key.address, price)]), "NotAssigner");
    // The client names the price it saw: one lamport less than the provider asks is refused.
    await refusedAs(c.client.send([await c.client.assignJob(byClient, c.key.address, p.key.address, price - 1n)]), "PriceChanged");
    await c.client.send([await c.client.assignJob(byClient, c.key.address, p.key.address, price)]);
    const assigned = await c.client.getJob(byClient);
    assert.equal(assigned.status, JobStatus.Assigned);
    assert.equal(big(assigned.agreedPricePerHour), price);
    assert.equal(big(assigned.escrow), costFor(price, 3_600));

    await p.client.send([await p.client.updateProvider({ assignment: ASSIGN_BY_MATCHER })]);
    await matcher.send([await matcher.assignJob(byMatcher, c.key.address, p.key.address, price)]);
    assert.equal((await c.client.getJob(byMatcher)).status, JobStatus.Assigned);

    await refusedAs(p.client.send([await p.client.updateProvider({ assignment: 4 })]), "InvalidAssignmentPolicy");
    await p.client.send([await p.client.assignJob(byProvider, c.key.address, p.key.address, price)]);
    assert.equal((await p.client.getProvider(p.key.address)).activeJobs, 3);
  });

  it("lets the assigned provider decline an unstarted job: Open again, its capacity free, the escrow's price bound kept", async () => {
    const p = await provider(0);
    const other = await provider(0);
    const c = await clientWithJobs(1);
    const [job] = c.jobs;
    await p.client.send([await p.client.assignJob(job, c.key.address, p.key.address, price)]);
    const assigned = await c.client.getJob(job);
    const reputation = (await p.client.getProvider(p.key.address)).reputation;

    await refusedAs(other.client.send([await other.client.declineJob(job)]), "NotJobProvider");
    const declined = await p.client.send([await p.client.declineJob(job)]);
    const reopened = await c.client.getJob(job);
    assert.equal(reopened.status, JobStatus.Open);
    assert.equal(reopened.provider, DEFAULT_ADDRESS);
    assert.equal(reopened.agreedPricePerHour, 0n);
    assert.equal(big(reopened.escrow), big(assigned.escrow), "the escrow stays as it was after the assignment's refund");
    // The job's maximum is now the highest price its escrow still covers for the whole duration.
    assert.equal(big(reopened.maxPricePerHour), (big(assigned.escrow) * 3_600n) / BigInt(assigned.durationSecs));
    const after = await p.client.getProvider(p.key.address);
    assert.deepEqual(after.free, CAPACITY);
    assert.equal(after.activeJobs, 0);
    assert.equal(after.reputation, reputation, "declining costs no reputation");

    if (node.usesArtifact) {
      const [event] = decodeEvents(await logsOf(node, declined));
      assert.equal(event.name, "JobReleased");
      assert.deepEqual(Object.keys(event.data.reason as object), ["Declined"]);
      assert.equal(event.data.provider, p.key.address);
      assert.equal(big(event.data.max_price_per_hour as never), big(reopened.maxPricePerHour));
      assert.equal(big(event.data.escrow as never), big(reopened.escrow));
    }

    // Another provider can take it at a price the remaining escrow covers.
    await other.client.send([await other.client.assignJob(job, c.key.address, other.key.address, price)]);
    assert.equal((await c.client.getJob(job)).provider, other.key.address);
  });

  it("lets the client take back an unstarted job only TAKE_BACK_AFTER_SECS after assignment", async () => {
    assert.equal(TAKE_BACK_AFTER_SECS, 600);
    const p = await provider(0);
    const c = await clientWithJobs(1);
    const [job] = c.jobs;
    await p.client.send([await p.client.assignJob(job, c.key.address, p.key.address, price)]);
    await refusedAs(c.client.send([await c.client.takeBackJob(job, p.key.address)]), "TakeBackTooEarly");
    const stranger = clientFor(node, await node.fund(1));
    await refusedAs(stranger.send([await stranger.takeBackJob(job, p.key.address)]), "NotJobClient");
    const still = await c.client.getJob(job);
    assert.equal(still.status, JobStatus.Assigned);
    assert.equal(still.provider, p.key.address);
    // Once started, the job is the provider's: neither way back is open.
    await p.client.send([await p.client.startJob(job)]);
    await refusedAs(p.client.send([await p.client.declineJob(job)]), "InvalidJobStatus");
    await refusedAs(c.client.send([await c.client.takeBackJob(job, p.key.address)]), "InvalidJobStatus");
  });
});
