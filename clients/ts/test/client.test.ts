// The TypeScript client against a local node: the whole lifecycle, each filter, analytics to the
// lamport, events, and program errors by name.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { BN } from "@anchor-lang/core";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import {
  JobStatus, MarketClient, MarketError, clientStats, decodeEvents, jobPda, keypairWallet, marketTotals,
  encodeSpec, fetchExplanation, fetchResultBundle, providerStats, subscribeEvents, uriText, type JobTerms, type MarketEvent,
} from "../src";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startNode, startService, type Node } from "./localnet";

const SOL = 1_000_000_000n;
const rates = (perCore: number, perGbRam = 0, perGpu = 0) => ({
  perCore: new BN(perCore), perGbRam: new BN(perGbRam), perGbStorage: new BN(0), perGpu: new BN(perGpu),
});
const terms = (cores: number, maxPrice: number, durationSecs = 3_600): JobTerms => ({
  requirements: { cpuCores: cores, ramGb: 4, storageGb: 0, gpus: 0 },
  durationSecs,
  maxPricePerHour: new BN(maxPrice),
  specHash: [...createHash("sha256").update("spec").digest()],
  specUri: "data:,spec",
});

let node: Node;
const as = (keypair: Keypair) => new MarketClient(node.connection, keypairWallet(keypair));
const balance = async (key: PublicKey) => BigInt(await node.connection.getBalance(key, "confirmed"));

before(async () => {
  node = await startNode();
});
after(() => node.stop());

describe("compute_market client", () => {
  it("runs a job from post to payment, with exact payouts, analytics and events", async () => {
    const providerKey = await node.fund(10);
    const clientKey = await node.fund(10);
    const provider = as(providerKey);
    const client = as(clientKey);
    await provider.send([await provider.registerProvider({ cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 }, rates(1_000_000, 10_000), "http://p.example")]);

    const seen: MarketEvent[] = [];
    const unsubscribe = subscribeEvents(node.connection, (event) => seen.push(event));
    const jobId = await client.nextJobId();
    assert.equal(jobId.toNumber(), 0);
    await client.send([await client.registerClient(), await client.postJob(jobId, terms(2, 10_000_000))]);
    const [job] = jobPda(clientKey.publicKey, 0);
    let account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Open);
    assert.equal(account.escrow.toString(), "10000000");
    assert.equal(uriText(account.specUri), "data:,spec");

    await provider.send([await provider.assignJob(job, clientKey.publicKey, providerKey.publicKey)]);
    account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Assigned);
    assert.equal(account.agreedPricePerHour.toString(), String(2 * 1_000_000 + 4 * 10_000));
    await provider.send([await provider.startJob(job)]);
    await provider.send([await provider.submitResult(job, [...createHash("sha256").update("result").digest()])]);

    const market = await client.getMarket();
    const treasuryBefore = await balance(market.treasury);
    const providerBefore = await balance(providerKey.publicKey);
    const signature = await client.send([await client.completeAndPay(job, 4)]);
    account = await client.getJob(job);
    assert.equal(account.status, JobStatus.Completed);
    const fee = BigInt(account.fee.toString());
    const payout = BigInt(account.providerPayout.toString());
    const refund = BigInt(account.clientRefund.toString());
    assert.equal(payout + fee + refund, 10_000_000n);
    assert.equal(fee, ((payout + fee) * 250n) / 10_000n);
    assert.equal((await balance(market.treasury)) - treasuryBefore, fee, "the treasury gets the fee, to the lamport");
    assert.equal((await balance(providerKey.publicKey)) - providerBefore, payout, "the provider gets the payout, to the lamport");

    const jobs = await client.listJobs({ provider: providerKey.publicKey });
    const pStats = providerStats(await client.getProvider(providerKey.publicKey), jobs);
    assert.equal(pStats.totalEarned, payout);
    assert.equal(pStats.earnedInListedJobs, payout);
    assert.equal(pStats.completionRateBps, 10_000);
    assert.equal(pStats.pendingEscrow, 0n);
    assert.deepEqual(pStats.utilisationBps, { cpuCores: 0, ramGb: 0, storageGb: null, gpus: null });
    const profile = await client.getClientProfile(clientKey.publicKey);
    const cStats = clientStats(profile!, await client.listJobs({ client: clientKey.publicKey }));
    assert.equal(cStats.totalSpent, payout + fee);
    assert.equal(cStats.totalRefunded, refund);
    assert.equal(cStats.inEscrow, 0n);
    assert.equal(cStats.history.length, 1);
    const totals = marketTotals(await client.getMarket(), await client.listProviders(), await client.listJobs());
    assert.equal(totals.fees - BigInt(market.stats.feesCollected.toString()), fee);
    assert.equal(totals.jobsByStatus.Completed >= 1, true);

    if (node.usesArtifact) {
      const tx = await node.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      const names = decodeEvents(tx!.meta!.logMessages!).map((e) => e.name);
      assert.deepEqual(names, ["JobCompleted"]);
      await new Promise((r) => setTimeout(r, 500));
      const live = seen.map((e) => e.name);
      for (const name of ["ClientRegistered", "JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted", "JobCompleted"]) {
        assert.ok(live.includes(name), `subscription saw ${name}: ${live}`);
      }
    } else {
      console.log("SKIPPED: event checks (the node runs the native program, which emits no events)");
    }
    await unsubscribe();
  });

  it("filters providers and jobs on the node", async () => {
    const big = await node.fund(5);
    const small = await node.fund(5);
    await as(big).send([await as(big).registerProvider({ cpuCores: 64, ramGb: 256, storageGb: 0, gpus: 2 }, rates(2_000_000, 1, 5), "http://big")]);
    await as(small).send([await as(small).registerProvider({ cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, rates(100_000, 1), "http://small")]);
    const keys = async (filter: Parameters<MarketClient["listProviders"]>[0]) =>
      (await as(big).listProviders(filter)).map((p) => p.account.authority.toBase58());
    assert.ok((await keys({ minCores: 32 })).includes(big.publicKey.toBase58()));
    assert.ok(!(await keys({ minCores: 32 })).includes(small.publicKey.toBase58()));
    assert.ok(!(await keys({ minGpus: 1 })).includes(small.publicKey.toBase58()));
    assert.ok((await keys({ minRamGb: 128, minStorageGb: 0 })).includes(big.publicKey.toBase58()));
    const cheap = await keys({ minCores: 2, minRamGb: 4, maxPricePerHour: 1_000_000n });
    assert.ok(cheap.includes(small.publicKey.toBase58()) && !cheap.includes(big.publicKey.toBase58()));
    assert.ok(!(await keys({ minReputation: 10_000 })).includes(small.publicKey.toBase58()));
    await as(big).send([await as(big).setProviderActive(false)]);
    assert.ok(!(await keys({ active: true })).includes(big.publicKey.toBase58()));
    assert.ok((await keys({ active: false })).includes(big.publicKey.toBase58()));

    const clientKey = await node.fund(5);
    const client = as(clientKey);
    await client.send([await client.registerClient(), await client.postJob(0, terms(1, 1_000_000)), await client.postJob(1, terms(1, 1_000_000))]);
    await as(small).send([await as(small).assignJob(jobPda(clientKey.publicKey, 1)[0], clientKey.publicKey, small.publicKey)]);
    const mine = await client.listJobs({ client: clientKey.publicKey });
    assert.deepEqual(mine.map((j) => j.account.jobId.toNumber()), [0, 1]);
    const open = await client.listJobs({ client: clientKey.publicKey, status: JobStatus.Open });
    assert.deepEqual(open.map((j) => j.account.jobId.toNumber()), [0]);
    const bySmall = await client.listJobs({ provider: small.publicKey, status: JobStatus.Assigned });
    assert.deepEqual(bySmall.map((j) => j.address.toBase58()), [jobPda(clientKey.publicKey, 1)[0].toBase58()]);
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
    const before = await balance(clientKey.publicKey);
    await assert.rejects(client.send([await client.registerClient(), await client.postJob(0, { ...terms(0, 1_000_000), requirements: { cpuCores: 0, ramGb: 0, storageGb: 0, gpus: 0 } })]), (e: unknown) => {
      assert.ok(e instanceof MarketError);
      assert.equal(e.errorName, "InvalidRequirements");
      return true;
    });
    assert.equal(await balance(clientKey.publicKey), before, "a refused post moves no lamports");
  });

  it("reads the matcher's explanations and verifies the bundle an agent delivers", async () => {
    const matcherUrl = `http://127.0.0.1:${await freePort()}`;
    const matcher = await startService(node, join(node.keys, "matcher.json"),
      ["matcher", "run", "--listen", matcherUrl.slice("http://".length), "--poll-secs", "1"], "matching");
    const providerKey = await node.fund(5);
    const provider = as(providerKey);
    await provider.send([await provider.registerProvider({ cpuCores: 4, ramGb: 16, storageGb: 0, gpus: 0 }, rates(1_000, 100), "http://127.0.0.1:1")]);
    const keyFile = join(node.keys, "ts-agent-provider.json");
    writeFileSync(keyFile, JSON.stringify([...providerKey.secretKey]));
    const agent = await startService(node, keyFile,
      ["agent", "run", "--workdir", mkdtempSync(join(tmpdir(), "cm-ts-agent-")), "--listen", "127.0.0.1:0", "--poll-secs", "1"], "results served at");
    try {
      const clientKey = await node.fund(5);
      const client = as(clientKey);
      const spec = await encodeSpec({ version: 1, command: ["sh", "-c", "echo hello > out.txt"], outputs: ["out.txt"] });
      const job = (id: number) => jobPda(clientKey.publicKey, id)[0];
      await client.send([
        await client.registerClient(),
        await client.postJob(0, { ...terms(1, 1_000_000), specHash: spec.hash, specUri: spec.dataUri, targetProvider: providerKey.publicKey }),
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
      const endpoint = uriText((await client.getProvider(providerKey.publicKey)).metadataUri);
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
