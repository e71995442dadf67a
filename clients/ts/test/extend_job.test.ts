// extend_job against a local node: the client of an assigned or running job adds time to it, escrowing exactly
// the cost of the new duration less the old at the agreed price, in lamports or in the job's token; a running
// job's deadlines move by the added time; what the program refuses is refused by name.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Address, KeyPairSigner } from "@solana/kit";
import {
  JobStatus, LIMITS, associatedTokenAddress, costFor, decodeEvents, extensionEscrow, generated, hourlyPrice, jobPda, marketPda,
  tokenAccountBalance, vaultPda, vaultTokensPda, type MarketClient,
} from "../src";
import { startNode, type Node } from "./localnet";
import { balance, clientFor, logsOf, rates, refusedAs, sendPaidBy, terms } from "./fixtures";
import { acceptedMint, mintTo } from "./mint";

let node: Node;
/** Pays the fees of the extensions, so that the client's lamports move by the escrow alone. */
let feePayer: KeyPairSigner;
before(async () => {
  node = await startNode();
  feePayer = await node.fund(5);
});
after(() => node.stop());

const CAPACITY = { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 };
/** 7,000,001 lamports (or base units) an hour for a core and 4 GB of RAM: costs that round down, as the program rounds them. */
const RATES = rates(6_999_997, 1);
const DURATION = 600;

/** A provider with RATES (in lamports, and quoted in `mint` when given) and a registered client. */
async function parties(mint?: { mint: Address; minter: KeyPairSigner }) {
  const providerKey = await node.fund(5);
  const provider = clientFor(node, providerKey);
  await provider.send([await provider.registerProvider(CAPACITY, RATES, "http://p.example", 0)]);
  if (mint) await provider.send([await provider.addMintQuote(mint.mint, RATES)]);
  const clientKey = await node.fund(5);
  const client = clientFor(node, clientKey);
  const clientTokens = mint ? await mintTo(node, mint.minter, mint.mint, clientKey.address, 100_000_000n) : null;
  await client.send([await client.registerClient()]);
  return { provider, client, clientTokens };
}

/** Posts job `id` (paid in `mint` when given) and has the provider accept it at its price. */
async function assigned(client: MarketClient, provider: MarketClient, id: number, mint?: Address) {
  await client.send([await client.postJob(id, terms(1, 10_000_000n, DURATION), mint ? { mint } : null)]);
  const [job] = await jobPda(client.me, id);
  const price = hourlyPrice(RATES, terms(1, 0).requirements);
  await provider.send([await provider.assignJob(job, client.me, provider.me, price)]);
  return { job, price, vault: (await vaultPda(job))[0] };
}

/** Sends `client`'s extension of `job` by `addedSecs` with the test's fee payer; returns the signature. */
async function extend(client: MarketClient, job: Address, addedSecs: number): Promise<string> {
  return sendPaidBy(node, feePayer, [await client.extendJob(job, addedSecs)]);
}

describe("extend_job", () => {
  it("extends an assigned then a running lamport job: exact escrow from the client's wallet, deadlines moved", async () => {
    const { provider, client } = await parties();
    const { job, price, vault } = await assigned(client, provider, 0);
    assert.equal(price, 7_000_001n);
    assert.equal((await client.getJob(job)).escrow, costFor(price, DURATION));

    // Assigned: the duration grows; the deadlines the job has so far stay.
    const before = await client.getJob(job);
    const [clientBefore, vaultBefore] = [await balance(node, client.me), await balance(node, vault)];
    await extend(client, job, 301);
    let account = await client.getJob(job);
    const firstStep = extensionEscrow(before, 301);
    assert.equal(firstStep, costFor(price, 901) - costFor(price, 600));
    assert.equal(firstStep, 585_278n, "1,751,944 for 901 s less 1,166,666 for 600 s, each rounded down");
    assert.equal(account.status, JobStatus.Assigned);
    assert.equal(account.durationSecs, 901);
    assert.equal(account.escrow, costFor(price, 901));
    assert.equal(account.startDeadline, before.startDeadline);
    assert.equal(clientBefore - (await balance(node, client.me)), firstStep, "the client paid the added escrow, to the lamport");
    assert.equal((await balance(node, vault)) - vaultBefore, firstStep, "the vault holds it");

    // Started: the run deadline counts the whole new duration.
    await provider.send([await provider.startJob(job)]);
    const running = await client.getJob(job);
    assert.equal(running.runDeadline, running.startedAt + 901n);

    // Running: the run and grace deadlines move by the added time.
    const [clientMid, vaultMid] = [await balance(node, client.me), await balance(node, vault)];
    const signature = await extend(client, job, 1_799);
    account = await client.getJob(job);
    const secondStep = extensionEscrow(running, 1_799);
    assert.equal(account.durationSecs, 2_700);
    assert.equal(account.escrow, costFor(price, 2_700), "two steps escrow what the whole duration costs");
    assert.equal(account.runDeadline, running.runDeadline + 1_799n);
    assert.equal(account.graceDeadline, running.graceDeadline + 1_799n);
    assert.equal(clientMid - (await balance(node, client.me)), secondStep);
    assert.equal((await balance(node, vault)) - vaultMid, secondStep);
    if (node.usesArtifact) {
      const [event] = decodeEvents(await logsOf(node, signature));
      assert.equal(event.name, "JobExtended");
      assert.deepEqual({ ...event.data, timestamp: undefined }, {
        job, client: client.me, provider: provider.me, payment_mint: running.paymentMint, added_secs: 1_799, duration_secs: 2_700,
        added_escrow: secondStep, escrow: account.escrow, run_deadline: account.runDeadline, timestamp: undefined,
      });
    }

    // Refused by name: no time, beyond the longest duration, someone else, a paused market.
    await refusedAs(extend(client, job, 0), "InvalidExtension");
    await refusedAs(extend(client, job, LIMITS.maxJobDurationSecs - 2_700 + 1), "InvalidExtension");
    await refusedAs(extend(provider, job, 60), "NotJobClient");
    const admin = clientFor(node, node.admin);
    await admin.send([await admin.updateMarket({ paused: true })]);
    try {
      await refusedAs(extend(client, job, 60), "MarketPaused");
    } finally {
      await admin.send([await admin.updateMarket({ paused: false })]);
    }
    assert.equal((await client.getJob(job)).escrow, costFor(price, 2_700), "nothing refused moved the escrow");
  });

  it("extends a running token job: exact base units from the client's token account to the vault's", async () => {
    const { mint, minter } = await acceptedMint(node);
    const { provider, client, clientTokens } = await parties({ mint, minter });
    const { job, price, vault } = await assigned(client, provider, 0, mint);
    await provider.send([await provider.startJob(job)]);
    const running = await client.getJob(job);
    const [vaultTokens] = await vaultTokensPda(job);
    const tokensOf = (account: Address) => tokenAccountBalance(node.rpc, account);
    const [tokensBefore, vaultTokensBefore, lamportsBefore] = [await tokensOf(clientTokens!), await tokensOf(vaultTokens), await balance(node, client.me)];
    assert.equal(vaultTokensBefore, costFor(price, DURATION));

    // Without its token accounts the program refuses the extension of a token job by name.
    const bare = generated.getExtendJobInstruction({ client: client.wallet, market: await marketPda(), job, vault, addedSecs: 60 });
    await refusedAs(sendPaidBy(node, feePayer, [bare]), "MissingTokenAccounts");

    await extend(client, job, 3_001);
    const account = await client.getJob(job);
    const added = extensionEscrow(running, 3_001);
    assert.equal(added, costFor(price, 3_601) - costFor(price, DURATION));
    assert.equal(account.durationSecs, 3_601);
    assert.equal(account.escrow, costFor(price, 3_601));
    assert.equal(account.runDeadline, running.runDeadline + 3_001n);
    assert.equal(account.graceDeadline, running.graceDeadline + 3_001n);
    assert.equal(tokensBefore - (await tokensOf(clientTokens!)), added, "the client's token account paid the added escrow, to the base unit");
    assert.equal((await tokensOf(vaultTokens)) - vaultTokensBefore, added, "the vault's token account holds it");
    assert.equal(await balance(node, client.me), lamportsBefore, "no lamport moved for a token job");
  });
});
