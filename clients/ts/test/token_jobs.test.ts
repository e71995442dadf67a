// Jobs paid in an SPL token the market accepts: the escrow moves from the client's token account to the job's
// vault token account at posting, and out of it to the provider, the treasury and the client at settlement, each
// balance exact in base units; a cancelled job and a resolved dispute pay back exactly what they should.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Address } from "@solana/kit";
import {
  JobStatus, associatedTokenAddress, costFor, hourlyPrice, jobPda, tokenAccountBalance, vaultPda, vaultTokensPda, type MarketClient,
} from "../src";
import { startNode, type Node } from "./localnet";
import { clientFor, rates, refusedAs, resultHash, sleep, terms } from "./fixtures";
import { acceptedMint, mintTo } from "./mint";

let node: Node;
before(async () => {
  node = await startNode();
});
after(() => node.stop());

const CAPACITY = { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 };
/** 36 tokens per core-hour: 0.01 token a second, worth a reputation unit at 1 SOL a token. */
const TOKEN_RATES = rates(36_000_000, 10_000);
const MINTED = 100_000_000n; // 100 tokens

/** A provider quoting TOKEN_RATES in `mint`, and a client holding MINTED base units of it. */
async function parties(mint: Address, minter: Parameters<typeof mintTo>[1]) {
  const providerKey = await node.fund(5);
  const provider = clientFor(node, providerKey);
  await provider.send([await provider.registerProvider(CAPACITY, rates(1_000_000, 10_000), "http://p.example", 0)]);
  await provider.send([await provider.addMintQuote(mint, TOKEN_RATES)]);
  const clientKey = await node.fund(5);
  const client = clientFor(node, clientKey);
  const clientTokens = await mintTo(node, minter, mint, clientKey.address, MINTED);
  await client.send([await client.registerClient()]);
  return { providerKey, provider, clientKey, client, clientTokens, providerTokens: await associatedTokenAddress(providerKey.address, mint) };
}

/** Posts job `id` in `mint`, has the provider take it at its quote, start it and submit a result. */
async function runToSubmitted(client: MarketClient, provider: MarketClient, id: number, mint: Address, maxPrice: bigint) {
  await client.send([await client.postJob(id, terms(1, maxPrice, 60), { mint })]);
  const [job] = await jobPda(client.me, id);
  const price = hourlyPrice(TOKEN_RATES, terms(1, 0).requirements);
  await provider.send([await provider.assignJob(job, client.me, provider.me, price)]);
  await provider.send([await provider.startJob(job)]);
  await sleep(2_100);
  await provider.send([await provider.submitResult(job, resultHash())]);
  return { job, price };
}

describe("token jobs", () => {
  it("runs a job paid in a 6-decimal token from post to payment, every token account exact in base units", async () => {
    const { mint, minter, treasury } = await acceptedMint(node);
    const p = await parties(mint, minter);
    const treasuryTokens = await associatedTokenAddress(treasury, mint);
    const balances = () => Promise.all([p.clientTokens, p.providerTokens, treasuryTokens].map((a) => tokenAccountBalance(node.rpc, a)));

    const listed = (await p.client.listPaymentMints()).find((m) => m.account.mint === mint);
    assert.equal(listed?.account.decimals, 6);
    assert.equal(listed?.account.enabled, true);
    const quotes = await p.client.listMintQuotes(p.providerKey.address);
    assert.deepEqual(quotes.map((q) => [q.account.mint, q.account.rates]), [[mint, TOKEN_RATES]]);

    const maxPrice = 40_000_000n; // 40 tokens an hour
    const escrow = costFor(maxPrice, 60);
    const treasuryBefore = await tokenAccountBalance(node.rpc, treasuryTokens);
    await p.client.send([await p.client.postJob(0, terms(1, maxPrice, 60), { mint })]);
    const [job] = await jobPda(p.clientKey.address, 0);
    const [vaultTokens] = await vaultTokensPda(job);
    let account = await p.client.getJob(job);
    assert.equal(account.paymentMint, mint);
    assert.equal(account.status, JobStatus.Open);
    assert.equal(account.escrow, escrow);
    assert.equal(await tokenAccountBalance(node.rpc, vaultTokens), escrow, "the vault's token account holds the escrow");
    assert.equal(await tokenAccountBalance(node.rpc, p.clientTokens), MINTED - escrow);

    // Assigned at the provider's quote in the mint: the escrow above that price goes back to the client.
    const price = hourlyPrice(TOKEN_RATES, account.requirements);
    assert.equal(price, 36_040_000n);
    await refusedAs(p.provider.send([await p.provider.assignJob(job, p.clientKey.address, p.providerKey.address, price - 1n)]), "PriceChanged");
    await p.provider.send([await p.provider.assignJob(job, p.clientKey.address, p.providerKey.address, price)]);
    account = await p.client.getJob(job);
    assert.equal(account.agreedPricePerHour, price);
    assert.equal(account.escrow, costFor(price, 60));
    assert.equal(await tokenAccountBalance(node.rpc, vaultTokens), costFor(price, 60));
    assert.equal(await tokenAccountBalance(node.rpc, p.clientTokens), MINTED - costFor(price, 60));

    await p.provider.send([await p.provider.startJob(job)]);
    await sleep(2_100);
    await p.provider.send([await p.provider.submitResult(job, resultHash())]);
    const submitted = await p.client.getJob(job);
    const worked = Number(submitted.submittedAt - submitted.startedAt);
    assert.ok(worked >= 1, `worked ${worked} s`);
    const lamportFeesBefore = (await p.client.getProvider(p.providerKey.address)).feesOwed;

    await p.client.send([await p.client.completeAndPay(job, 5)]);
    account = await p.client.getJob(job);
    assert.equal(account.status, JobStatus.Completed);
    const payment = costFor(price, worked);
    const fee = (payment * BigInt(account.feeBps)) / 10_000n;
    assert.equal(account.fee, fee);
    assert.equal(account.providerPayout, payment - fee);
    assert.equal(account.clientRefund, escrow - payment, "refunded at assignment and at settlement: all the rest of what was posted");
    const [clientAfter, providerAfter, treasuryAfter] = await balances();
    assert.equal(clientAfter, MINTED - payment, "the client paid for the seconds worked, to the base unit");
    assert.equal(providerAfter, payment - fee, "the provider's token account got the payout");
    assert.equal(treasuryAfter - treasuryBefore, fee, "the treasury's token account got the fee at once");
    assert.equal(await tokenAccountBalance(node.rpc, vaultTokens), 0n, "the vault's token account is emptied and closed");
    assert.equal((await p.client.getProvider(p.providerKey.address)).feesOwed, lamportFeesBefore, "no lamport fee is set aside for a token job");
  });

  it("refunds a cancelled token job and splits a resolved dispute exactly", async () => {
    const { mint, minter, treasury } = await acceptedMint(node);
    const p = await parties(mint, minter);
    const treasuryTokens = await associatedTokenAddress(treasury, mint);

    // Cancelled while open: every base unit back, the vault's token account closed.
    await p.client.send([await p.client.postJob(0, terms(1, 40_000_000n, 600), { mint })]);
    const [open] = await jobPda(p.clientKey.address, 0);
    assert.equal(await tokenAccountBalance(node.rpc, p.clientTokens), MINTED - costFor(40_000_000n, 600));
    await p.client.send([await p.client.cancelJob(open)]);
    assert.equal(await tokenAccountBalance(node.rpc, p.clientTokens), MINTED, "the whole escrow came back");
    assert.equal(await tokenAccountBalance(node.rpc, (await vaultTokensPda(open))[0]), 0n);

    // Disputed and ruled half to the provider: the three shares add up to the escrow, each where it belongs.
    const { job, price } = await runToSubmitted(p.client, p.provider, 1, mint, 40_000_000n);
    const escrow = costFor(40_000_000n, 60);
    assert.equal((await p.client.getJob(job)).escrow, costFor(price, 60));
    const treasuryBefore = await tokenAccountBalance(node.rpc, treasuryTokens);
    await p.client.send([await p.client.disputeJob(job)]);
    assert.equal((await p.client.getJob(job)).status, JobStatus.Disputed);
    await refusedAs(p.client.send([await p.client.resolveDispute(job, 5_000)]), "NotAdmin");
    const admin = clientFor(node, node.admin);
    await admin.send([await admin.resolveDispute(job, 5_000)]);
    const ruled = await p.client.getJob(job);
    assert.equal(ruled.status, JobStatus.Resolved);
    assert.equal(ruled.providerPayout + ruled.fee + ruled.clientRefund, escrow, "every base unit posted is paid or refunded");
    assert.ok(ruled.providerPayout > 0n && ruled.clientRefund > 0n);
    assert.equal(await tokenAccountBalance(node.rpc, p.providerTokens), ruled.providerPayout);
    assert.equal((await tokenAccountBalance(node.rpc, treasuryTokens)) - treasuryBefore, ruled.fee);
    assert.equal(await tokenAccountBalance(node.rpc, p.clientTokens), MINTED - ruled.providerPayout - ruled.fee);
  });
});
