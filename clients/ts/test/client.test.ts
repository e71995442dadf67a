// The TypeScript client against a local node: the whole lifecycle with exact payouts and fees, market totals
// summed from the parties, each filter, events, program errors by name, and the off-chain services.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Address, KeyPairSigner } from "@solana/kit";
import {
  ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, MarketClient, MarketError, PROGRAM_ID, REPUTATION_UNIT_LAMPORTS, clientStats, costFor,
  decodeEvents, encodeSpec, fetchExplanation, fetchResultBundle, hourlyPrice, jobPda, marketStats, marketTotals, pairPda,
  providerPda, providerStats, subscribeEvents, uriText, type MarketEvent,
} from "../src";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startNode, startService, type Node } from "./localnet";
import { balance as balanceOf, big, clientFor, logsOf, rates, refusedAs, resultHash, sleep, terms } from "./fixtures";

let node: Node;
const as = (keypair: KeyPairSigner) => clientFor(node, keypair);
const balance = (key: Address) => balanceOf(node, key);

before(async () => {
  node = await startNode();
});
after(() => node.stop());

describe("compute_market client", () => {
  it("runs a job from post to payment: exact payouts, the fee set aside then collected, totals summed from the parties, events", async () => {
    const providerKey = await node.fund(10);
    const clientKey = await node.fund(10);
    const provider = as(providerKey);
    const client = as(clientKey);
    const totalsBefore = marketStats(await client.listProviders(), await client.listClientProfiles());
    const seen: MarketEvent[] = [];
    const unsubscribe = subscribeEvents(node.rpcSubscriptions, (event) => seen.push(event));
    await unsubscribe.ready;
    // 36 SOL per core-hour: a second of work is worth a reputation unit (0.01 SOL), so the work counts.
    await provider.send([await provider.registerProvider({ cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 }, rates(36_000_000_000, 10_000), "http://p.example", ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER)]);
    assert.equal((await client.getProvider(providerKey.address)).assignment, ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER);

    const jobId = await client.nextJobId();
    assert.equal(jobId, 0n);
    const maxPrice = 40_000_000_000n;
    await client.send([await client.registerClient(), await client.postJob(jobId, terms(1, maxPrice, 60))]);
    const [job] = await jobPda(clientKey.address, 0);
    const market = await client.getMarket();
    let account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Open);
    assert.equal(big(account.escrow), costFor(maxPrice, 60));
    assert.deepEqual(account.windows, market.windows, "the job keeps the market's windows from its posting");
    assert.equal(account.feeBps, market.feeBps);
    assert.equal(uriText(account.specUri), "data:,spec");

    const price = hourlyPrice((await client.getProvider(providerKey.address)).rates, account.requirements);
    assert.equal(price, 36_000_040_000n);
    await refusedAs(provider.send([await provider.assignJob(job, clientKey.address, providerKey.address, price - 1n)]), "PriceChanged");
    await provider.send([await provider.assignJob(job, clientKey.address, providerKey.address, price)]);
    account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Assigned);
    assert.equal(big(account.agreedPricePerHour), price);
    assert.equal(big(account.escrow), costFor(price, 60), "the escrow above the agreed price returned at assignment");
    await provider.send([await provider.startJob(job)]);
    await sleep(2_100);
    await provider.send([await provider.submitResult(job, resultHash())]);
    const submitted = await client.getJob(job);
    const worked = Number(submitted.submittedAt - submitted.startedAt);
    assert.ok(worked >= 1, `worked ${worked} s`);

    const providerAccount = await providerPda(providerKey.address);
    const [treasuryBefore, walletBefore, accountBefore] = await Promise.all([balance(market.treasury), balance(providerKey.address), balance(providerAccount)]);
    const signature = await client.send([await client.completeAndPay(job, 4)]);
    account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Completed);
    assert.equal(account.rating, 4);
    const fee = big(account.fee);
    const payout = big(account.providerPayout);
    const refund = big(account.clientRefund);
    const payment = costFor(price, worked);
    assert.equal(payout + fee, payment, "paid for the seconds worked, at the agreed price");
    assert.equal(fee, (payment * BigInt(account.feeBps)) / 10_000n);
    assert.equal(payout + fee + refund, costFor(maxPrice, 60), "every lamport posted is paid, set aside or refunded");
    assert.equal((await balance(providerKey.address)) - walletBefore, payout, "the provider gets the payout, to the lamport");
    assert.equal((await balance(providerAccount)) - accountBefore, fee, "the fee waits on the provider's account");
    assert.equal(await balance(market.treasury), treasuryBefore, "no job writes the treasury");

    const paid = await client.getProvider(providerKey.address);
    assert.equal(big(paid.feesOwed), fee);
    assert.equal(big(paid.earningsOwed), 0n);
    assert.equal(big(paid.counterparties), 1n);
    assert.equal(big(paid.deliveredUnits), payment / BigInt(REPUTATION_UNIT_LAMPORTS));
    const pair = await node.rpc.getAccountInfo(await pairPda(providerKey.address, clientKey.address), { commitment: "confirmed", encoding: "base64" }).send();
    assert.equal(pair.value?.owner, PROGRAM_ID, "the pair record of their first counted work exists");

    const jobs = await client.listJobs({ provider: providerKey.address });
    const pStats = providerStats(paid, jobs);
    assert.equal(pStats.totalEarned, payout);
    assert.equal(pStats.earnedInListedJobs, payout);
    assert.equal(pStats.completionRateBps, 10_000);
    assert.equal(pStats.pendingEscrow, 0n);
    assert.equal(pStats.feesOwed, fee);
    assert.equal(pStats.counterparties, 1n);
    assert.deepEqual(pStats.utilisationBps, { cpuCores: 0, ramGb: 0, storageGb: null, gpus: null });
    const profile = await client.getClientProfile(clientKey.address);
    const cStats = clientStats(profile!, await client.listJobs({ client: clientKey.address }));
    assert.equal(cStats.totalSpent, payment);
    assert.equal(cStats.feesPaid, fee);
    assert.equal(cStats.totalRefunded, refund);
    assert.equal(cStats.inEscrow, 0n);
    assert.equal(cStats.history.length, 1);

    const totals = marketTotals(market, await client.listProviders(), await client.listClientProfiles(), await client.listJobs());
    const moved = (key: keyof typeof totalsBefore) => totals.stats[key] - totalsBefore[key];
    assert.deepEqual(
      [moved("providers"), moved("clients"), moved("jobsPosted"), moved("jobsCompleted"), moved("volumeLamports"), moved("feesCollected"), moved("feesUncollected")],
      [1n, 1n, 1n, 1n, payment, fee, fee],
      "the market's totals moved by exactly this job",
    );
    assert.ok(totals.jobsByStatus.Completed >= 1);

    // Anyone moves the fees to the treasury; then there is nothing left to collect.
    const keeper = as(await node.fund(1));
    const collected = await keeper.send([await keeper.collectFees(providerKey.address)]);
    assert.equal((await balance(market.treasury)) - treasuryBefore, fee, "the treasury gets the fee, to the lamport");
    assert.equal(big((await client.getProvider(providerKey.address)).feesOwed), 0n);
    const another = as(await node.fund(1));
    await refusedAs(another.send([await another.collectFees(providerKey.address)]), "NothingOwed");
    const after = marketStats(await client.listProviders(), await client.listClientProfiles());
    assert.equal(after.feesUncollected, totalsBefore.feesUncollected);
    assert.equal(after.feesCollected - totalsBefore.feesCollected, fee, "collected fees still count as fees");

    if (node.usesArtifact) {
      const eventsOf = async (sig: string) => {
        return decodeEvents(await logsOf(node, sig));
      };
      const [completed] = await eventsOf(signature);
      assert.equal(completed.name, "JobCompleted");
      assert.equal(big(completed.data.provider_payout as never), payout);
      assert.equal(big(completed.data.provider_payout_held as never), 0n);
      assert.equal(big(completed.data.fee as never), fee);
      const [fees] = await eventsOf(collected);
      assert.equal(fees.name, "FeesCollected");
      assert.equal(big(fees.data.amount as never), fee);
      await sleep(500);
      const live = seen.map((e) => e.name);
      for (const name of ["ProviderRegistered", "ClientRegistered", "JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted", "JobCompleted", "FeesCollected"]) {
        assert.ok(live.includes(name), `subscription saw ${name}: ${live}`);
      }
    } else {
      console.log("SKIPPED: event checks (the node runs the native program, which emits no events)");
    }
    await unsubscribe();
  });

  it("filters providers and jobs on the node", async () => {
    const large = await node.fund(5);
    const small = await node.fund(5);
    await as(large).send([await as(large).registerProvider({ cpuCores: 64, ramGb: 256, storageGb: 0, gpus: 2 }, rates(2_000_000, 1, 5), "http://big", 0, { gpuModel: 0x0202, vramGb: 80, cpuArch: 1 })]);
    await as(small).send([await as(small).registerProvider({ cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, rates(100_000, 1), "http://small", 0)]);
    const keys = async (filter: Parameters<MarketClient["listProviders"]>[0]) =>
      (await as(large).listProviders(filter)).map((p) => p.account.authority);
    assert.ok((await keys({ minCores: 32 })).includes(large.address));
    assert.ok(!(await keys({ minCores: 32 })).includes(small.address));
    assert.ok(!(await keys({ minGpus: 1 })).includes(small.address));
    assert.ok((await keys({ minVramGb: 80, gpuFamily: 0x02 })).includes(large.address));
    assert.ok(!(await keys({ minVramGb: 81 })).includes(large.address));
    assert.ok(!(await keys({ gpuFamily: 0x01 })).includes(large.address));
    assert.ok(!(await keys({ minVramGb: 1 })).includes(small.address), "a provider without GPUs has no GPU memory");
    assert.ok((await keys({ minRamGb: 128, minStorageGb: 0 })).includes(large.address));
    const cheap = await keys({ minCores: 2, minRamGb: 4, maxPricePerHour: 1_000_000n });
    assert.ok(cheap.includes(small.address) && !cheap.includes(large.address));
    assert.ok(!(await keys({ minReputation: 10_000 })).includes(small.address));
    await as(large).send([await as(large).setProviderActive(false)]);
    assert.ok(!(await keys({ active: true })).includes(large.address));
    assert.ok((await keys({ active: false })).includes(large.address));

    const clientKey = await node.fund(5);
    const client = as(clientKey);
    await client.send([await client.registerClient(), await client.postJob(0, terms(1, 1_000_000)), await client.postJob(1, terms(1, 1_000_000))]);
    await as(small).send([await as(small).assignJob((await jobPda(clientKey.address, 1))[0], clientKey.address, small.address, hourlyPrice(rates(100_000, 1), terms(1, 0).requirements))]);
    const mine = await client.listJobs({ client: clientKey.address });
    assert.deepEqual(mine.map((j) => j.account.jobId), [0n, 1n]);
    const open = await client.listJobs({ client: clientKey.address, status: JobStatus.Open });
    assert.deepEqual(open.map((j) => j.account.jobId), [0n]);
    const bySmall = await client.listJobs({ provider: small.address, status: JobStatus.Assigned });
    assert.deepEqual(bySmall.map((j) => j.address), [(await jobPda(clientKey.address, 1))[0]]);
  });

  it("names program errors and moves nothing", async () => {
    const stranger = as(await node.fund(2));
    await assert.rejects(stranger.send([await stranger.updateMarket({ feeBps: 1 })]), (e: unknown) => {
      assert.ok(e instanceof MarketError, String(e));
      assert.equal(e.errorName, "NotAdmin");
      return true;
    });
    const clientKey = await node.fund(2);
    const client = as(clientKey);
    const before = await balance(clientKey.address);
    await assert.rejects(client.send([await client.registerClient(), await client.postJob(0, { ...terms(0, 1_000_000), requirements: { cpuCores: 0, ramGb: 0, storageGb: 0, gpus: 0 } })]), (e: unknown) => {
      assert.ok(e instanceof MarketError);
      assert.equal(e.errorName, "InvalidRequirements");
      return true;
    });
    assert.equal(await balance(clientKey.address), before, "a refused post moves no lamports");
  });

  it("reads the matcher's explanations and verifies the bundle an agent delivers", async () => {
    const matcherUrl = `http://127.0.0.1:${await freePort()}`;
    const matcher = await startService(node, join(node.keys, "matcher.json"),
      ["matcher", "run", "--listen", matcherUrl.slice("http://".length), "--poll-secs", "1"], "matching");
    const providerKey = await node.fund(5);
    const provider = as(providerKey);
    await provider.send([await provider.registerProvider({ cpuCores: 4, ramGb: 16, storageGb: 0, gpus: 0 }, rates(1_000, 100), "http://127.0.0.1:1", ASSIGN_BY_MATCHER)]);
    const keyFile = join(node.keys, "ts-agent-provider.json");
    writeFileSync(keyFile, JSON.stringify([...node.secretKey(providerKey)]));
    const agent = await startService(node, keyFile,
      ["agent", "run", "--workdir", mkdtempSync(join(tmpdir(), "cm-ts-agent-")), "--listen", "127.0.0.1:0", "--poll-secs", "1"], "results served at");
    try {
      const clientKey = await node.fund(5);
      const client = as(clientKey);
      const spec = await encodeSpec({ version: 1, command: ["sh", "-c", "echo hello > out.txt"], outputs: ["out.txt"] });
      const jobs = [(await jobPda(clientKey.address, 0))[0], (await jobPda(clientKey.address, 1))[0]];
      const job = (id: number) => jobs[id];
      await client.send([
        await client.registerClient(),
        await client.postJob(0, { ...terms(1, 1_000_000), specHash: spec.hash, specUri: spec.dataUri, targetProvider: providerKey.address }),
        await client.postJob(1, { ...terms(1, 1_000_000), requirements: { cpuCores: 1, ramGb: 4, storageGb: 0, gpus: 200 } }),
      ]);

      let explanation = null;
      for (let i = 0; i < 100 && !explanation; i++) {
        explanation = await fetchExplanation(job(1), matcherUrl);
        if (!explanation) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(explanation?.reason, "no active provider offers 200 GPUs");
      assert.equal(await fetchExplanation(job(0), matcherUrl), null, "a matched job has nothing to explain");

      let account = await client.getJob(job(0));
      for (let i = 0; i < 300 && account.status !== JobStatus.Submitted; i++) {
        await new Promise((r) => setTimeout(r, 200));
        account = await client.getJob(job(0));
      }
      assert.equal(account.status, JobStatus.Submitted, agent.output());
      const endpoint = uriText((await client.getProvider(providerKey.address)).metadataUri);
      const bundle = await fetchResultBundle(endpoint, job(0), account.resultHash);
      assert.equal(bundle.exit_code, 0);
      assert.deepEqual(bundle.files.map((f) => [f.path, Buffer.from(f.base64, "base64").toString()]), [["out.txt", "hello\n"]]);
      await assert.rejects(fetchResultBundle(endpoint, job(0), new Array(32).fill(7)), /on-chain result hash is 0707/);
    } finally {
      agent.stop();
      matcher.stop();
    }
  });
});
