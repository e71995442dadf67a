// Provider bonds against a local node: deposits (lamports and a token) with every balance exact, a bonded job's
// minimum bond locked at assignment and released when it is declined, a failed bonded job expired with the slash
// reaching its client to the lamport (and to the base unit), and withdrawals that wait for the market's cool-down;
// what the program refuses is refused by name. Deadlines pass by moving the node's clock (this file's own node).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Address, KeyPairSigner } from "@solana/kit";
import {
  DEFAULT_ADDRESS, JobStatus, associatedTokenAddress, bondAddress, bondFree, decodeEvents, generated, hourlyPrice, jobPda, listBonds,
  providerPda, slashOf, tokenAccountBalance, vaultPda, vaultTokensPda, type MarketClient,
} from "../src";
import { chainTime, startNode, timeTravel, type Node } from "./localnet";
import { balance, clientFor, logsOf, rates, refusedAs, sendPaidBy, terms } from "./fixtures";
import { acceptedMint, mintTo } from "./mint";

let node: Node;
/** Pays every fee here, so that the parties' balances move by what the program moves alone. */
let feePayer: KeyPairSigner;
before(async () => {
  node = await startNode();
  feePayer = await node.fund(10);
});
after(() => node.stop());

const SOL = 1_000_000_000n;
const CAPACITY = { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 };
const RATES = rates(3_600_000, 1);
/** Bond accounts are 8 + 144 bytes. */
const BOND_SPACE = 152n;

/** A registered provider (quoting `mint` when given) and a registered client. */
async function parties(mint?: Address) {
  const providerKey = await node.fund(10);
  const provider = clientFor(node, providerKey);
  await sendPaidBy(node, feePayer, [await provider.registerProvider(CAPACITY, RATES, "http://p.example", 0)]);
  if (mint) await sendPaidBy(node, feePayer, [await provider.addMintQuote(mint, RATES)]);
  const clientKey = await node.fund(10);
  const client = clientFor(node, clientKey);
  await sendPaidBy(node, feePayer, [await client.registerClient()]);
  return { provider, client };
}

/** `client` posts job `id` asking for `minBond` (paid in `mint` when given); returns its address. */
async function post(client: MarketClient, id: number, minBond: bigint, mint?: Address): Promise<Address> {
  await sendPaidBy(node, feePayer, [await client.postJob(id, { ...terms(1, 10_000_000n, 600), minBond }, mint ? { mint } : null)]);
  return (await jobPda(client.me, id))[0];
}

/** `provider` accepts `job` of `client` at its price. */
async function accept(provider: MarketClient, client: MarketClient, job: Address): Promise<string> {
  return sendPaidBy(node, feePayer, [await provider.assignJob(job, client.me, provider.me, hourlyPrice(RATES, terms(1, 0).requirements))]);
}

describe("provider bonds", () => {
  it("deposits lamports: the first deposit creates the bond at its address, every lamport accounted for", async () => {
    const { provider } = await parties();
    const bond = await bondAddress(provider.me, DEFAULT_ADDRESS);
    const rent = await node.rpc.getMinimumBalanceForRentExemption(BOND_SPACE).send();

    // Zero is refused by name: by the client before signing, and by the program when sent anyway.
    await refusedAs(provider.depositBond(0n), "InvalidBondAmount");
    const zero = generated.getDepositBondInstruction({ authority: provider.wallet, provider: await providerPda(provider.me), bond, amount: 0 });
    await refusedAs(sendPaidBy(node, feePayer, [zero]), "InvalidBondAmount");
    assert.equal(await provider.getBond(provider.me), null, "nothing refused created the bond");

    const walletBefore = await balance(node, provider.me);
    const signature = await sendPaidBy(node, feePayer, [await provider.depositBond(2n * SOL)]);
    assert.equal(walletBefore - (await balance(node, provider.me)), 2n * SOL + rent, "the wallet paid the deposit and the bond's rent");
    assert.equal(await balance(node, bond), rent + 2n * SOL, "the bond account holds its rent and the deposit");
    let account = await provider.getBond(provider.me);
    assert.deepEqual(
      { ...account!, discriminator: undefined, reserved: undefined, bump: undefined },
      {
        provider: provider.me, mint: DEFAULT_ADDRESS, tokens: DEFAULT_ADDRESS, held: 2n * SOL, locked: 0n, pending: 0n, withdrawAt: 0n, slashed: 0n,
        jobsLocked: 0, discriminator: undefined, reserved: undefined, bump: undefined,
      },
    );

    // A second deposit adds to the same bond; the wallet pays the amount alone.
    const walletMid = await balance(node, provider.me);
    await sendPaidBy(node, feePayer, [await provider.depositBond(500_000_001n)]);
    assert.equal(walletMid - (await balance(node, provider.me)), 500_000_001n);
    assert.equal(await balance(node, bond), rent + 2_500_000_001n);
    account = await provider.getBond(provider.me);
    assert.equal(account!.held, 2_500_000_001n);

    // Listed by provider (memcmp on the provider at offset 8): this provider's one bond, none of anyone else's.
    const listed = await provider.listBonds(provider.me);
    assert.deepEqual(listed.map((b) => [b.address, b.account.held]), [[bond, 2_500_000_001n]]);
    const { provider: other } = await parties();
    assert.deepEqual(await listBonds(node.rpc, other.me), []);

    if (node.usesArtifact) {
      const [event] = decodeEvents(await logsOf(node, signature));
      assert.equal(event.name, "BondDeposited");
      assert.deepEqual({ ...event.data, timestamp: undefined }, { provider: provider.me, mint: DEFAULT_ADDRESS, amount: 2n * SOL, held: 2n * SOL, timestamp: undefined });
    }
  });

  it("locks a bonded job's minimum bond at assignment, refuses a provider without enough free, and releases it when declined", async () => {
    const { provider, client } = await parties();
    const { provider: unbonded } = await parties();
    await sendPaidBy(node, feePayer, [await provider.depositBond(SOL)]);
    const market = await client.getMarket();
    const job = await post(client, 0, 600_000_000n);
    const posted = await client.getJob(job);
    assert.equal(posted.minBond, 600_000_000n);
    assert.equal(posted.slashBps, market.slashBps, "the job keeps the market's slash share of its posting");

    // No bond at all in the job's currency: the program finds no bond account at its address.
    await refusedAs(accept(unbonded, client, job), "WrongBond");
    await accept(provider, client, job);
    let bond = (await provider.getBond(provider.me))!;
    assert.equal((await client.getJob(job)).status, JobStatus.Assigned);
    assert.deepEqual([bond.held, bond.locked, bond.jobsLocked, bondFree(bond)], [SOL, 600_000_000n, 1, 400_000_000n]);

    // What is locked is neither lockable by another job nor withdrawable.
    const second = await post(client, 1, 400_000_001n);
    await refusedAs(accept(provider, client, second), "BondTooSmall");
    await refusedAs(sendPaidBy(node, feePayer, [await provider.requestBondWithdrawal(400_000_001n)]), "BondInUse");

    await sendPaidBy(node, feePayer, [await provider.declineJob(job)]);
    bond = (await provider.getBond(provider.me))!;
    assert.equal((await client.getJob(job)).status, JobStatus.Open);
    assert.deepEqual([bond.held, bond.locked, bond.jobsLocked, bond.slashed], [SOL, 0n, 0, 0n], "declining releases the lock, nothing slashed");
    await accept(provider, client, second);
    assert.equal((await provider.getBond(provider.me))!.locked, 400_000_001n);
  });

  it("expires a bonded job its provider did not start: the slash leaves the bond for the client's wallet, to the lamport", async () => {
    const { provider, client } = await parties();
    await sendPaidBy(node, feePayer, [await provider.depositBond(2n * SOL)]);
    const minBond = 1_000_000_003n;
    const job = await post(client, 0, minBond);
    await accept(provider, client, job);
    const assigned = await client.getJob(job);
    const slash = slashOf(minBond, assigned.slashBps);
    assert.ok(assigned.slashBps > 0, "the local market slashes");
    assert.equal(slash, (minBond * BigInt(assigned.slashBps)) / 10_000n);
    const keeper = clientFor(node, feePayer);
    await refusedAs(keeper.send([await keeper.expireJob(job)]), "NotExpirable");

    await timeTravel(node, Number(assigned.startDeadline - (await chainTime(node))) + 2);
    const bond = await bondAddress(provider.me, DEFAULT_ADDRESS);
    const vault = (await vaultPda(job))[0];
    const [clientBefore, bondBefore, vaultBefore, providerBefore] = await Promise.all([
      balance(node, client.me), balance(node, bond), balance(node, vault), balance(node, provider.me),
    ]);
    const signature = await keeper.send([await keeper.expireJob(job)]);

    const expired = await client.getJob(job);
    assert.equal(expired.status, JobStatus.Expired);
    assert.equal(bondBefore - (await balance(node, bond)), slash, "the bond account lost the slash exactly");
    assert.equal((await balance(node, client.me)) - clientBefore, vaultBefore + slash, "the client got its escrow (the vault, closed to it) and the slash");
    assert.equal(await balance(node, provider.me), providerBefore, "the provider's wallet did not move");
    const account = (await provider.getBond(provider.me))!;
    assert.deepEqual([account.held, account.locked, account.jobsLocked, account.slashed], [2n * SOL - slash, 0n, 0, slash]);
    if (node.usesArtifact) {
      const event = decodeEvents(await logsOf(node, signature)).find((e) => e.name === "JobExpired");
      assert.equal(event?.data.bond_slashed, slash);
    }
  });

  it("withdraws only after the market's cool-down: cooling down and nothing pending refused by name", async () => {
    const { provider } = await parties();
    await sendPaidBy(node, feePayer, [await provider.depositBond(3n * SOL)]);
    const market = await provider.getMarket();
    assert.ok(market.bondCooldownSecs > 0);
    await refusedAs(sendPaidBy(node, feePayer, [await provider.withdrawBond()]), "NoBondWithdrawal");

    const before = await chainTime(node);
    await sendPaidBy(node, feePayer, [await provider.requestBondWithdrawal(SOL + 7n)]);
    const after = await chainTime(node);
    let bond = (await provider.getBond(provider.me))!;
    const cooldown = BigInt(market.bondCooldownSecs);
    assert.equal(bond.pending, SOL + 7n);
    assert.ok(bond.withdrawAt >= before + cooldown && bond.withdrawAt <= after + cooldown, "withdrawable a cool-down after the request");
    assert.equal(bondFree(bond), 2n * SOL - 7n, "what is pending backs no new job");
    await refusedAs(sendPaidBy(node, feePayer, [await provider.withdrawBond()]), "BondCoolingDown");
    await refusedAs(sendPaidBy(node, feePayer, [await provider.requestBondWithdrawal(3n * SOL + 1n)]), "BondInUse");

    // Zero withdraws the request; a new one starts the cool-down again.
    await sendPaidBy(node, feePayer, [await provider.requestBondWithdrawal(0n)]);
    bond = (await provider.getBond(provider.me))!;
    assert.deepEqual([bond.pending, bond.withdrawAt], [0n, 0n]);
    await sendPaidBy(node, feePayer, [await provider.requestBondWithdrawal(SOL + 7n)]);
    bond = (await provider.getBond(provider.me))!;
    await timeTravel(node, Number(bond.withdrawAt - (await chainTime(node))) - 60);
    await refusedAs(sendPaidBy(node, feePayer, [await provider.withdrawBond()]), "BondCoolingDown");

    await timeTravel(node, 61);
    const walletBefore = await balance(node, provider.me);
    await sendPaidBy(node, feePayer, [await provider.withdrawBond()]);
    assert.equal((await balance(node, provider.me)) - walletBefore, SOL + 7n, "the wallet got the withdrawal exactly");
    bond = (await provider.getBond(provider.me))!;
    assert.deepEqual([bond.held, bond.pending, bond.withdrawAt], [2n * SOL - 7n, 0n, 0n]);
    await refusedAs(sendPaidBy(node, feePayer, [await provider.withdrawBond()]), "NoBondWithdrawal");
  });

  it("bonds in a token: deposit from the provider's token account, a failed token job's slash to the client's token account, to the base unit", async () => {
    const { mint, minter } = await acceptedMint(node);
    const { provider, client } = await parties(mint);
    const providerTokens = await mintTo(node, minter, mint, provider.me, 50_000_000n);
    const clientTokens = await mintTo(node, minter, mint, client.me, 100_000_000n);
    const bondTokens = await associatedTokenAddress(await bondAddress(provider.me, mint), mint);
    const tokensOf = (account: Address) => tokenAccountBalance(node.rpc, account);

    await sendPaidBy(node, feePayer, [await provider.depositBond(20_000_000n, mint)]);
    assert.equal(await tokensOf(providerTokens), 30_000_000n);
    assert.equal(await tokensOf(bondTokens), 20_000_000n);
    const bond = (await provider.getBond(provider.me, mint))!;
    assert.deepEqual([bond.mint, bond.tokens, bond.held], [mint, bondTokens, 20_000_000n]);
    assert.deepEqual((await provider.listBonds(provider.me)).map((b) => b.account.mint), [mint], "a token bond is its own, apart from lamports");
    assert.equal(await provider.getBond(provider.me), null);

    const minBond = 10_000_001n;
    const job = await post(client, 0, minBond, mint);
    await accept(provider, client, job);
    assert.equal((await provider.getBond(provider.me, mint))!.locked, minBond);
    const assigned = await client.getJob(job);
    const slash = slashOf(minBond, assigned.slashBps);
    await timeTravel(node, Number(assigned.startDeadline - (await chainTime(node))) + 2);
    const [vaultTokens] = await vaultTokensPda(job);
    const [clientBefore, vaultBefore] = [await tokensOf(clientTokens), await tokensOf(vaultTokens)];
    await sendPaidBy(node, feePayer, [await clientFor(node, feePayer).expireJob(job)]);

    assert.equal((await client.getJob(job)).status, JobStatus.Expired);
    assert.equal((await tokensOf(clientTokens)) - clientBefore, vaultBefore + slash, "the client's token account got the escrow and the slash");
    assert.equal(await tokensOf(bondTokens), 20_000_000n - slash);
    const after = (await provider.getBond(provider.me, mint))!;
    assert.deepEqual([after.held, after.locked, after.slashed], [20_000_000n - slash, 0n, slash]);
  });
});
