// What a Provider account holds besides its rent: a payout its empty wallet could not receive (until it
// withdraws) and the fees set aside for the treasury (until anyone collects them); and retiring, which pays
// the provider what it is owed, keeps the fees and the record, and registering again reopens.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { getTransferSolInstruction } from "@solana-program/system";
import { lamports } from "@solana/kit";
import { JobStatus, decodeEvents, jobPda, marketStats, providerPda } from "../src";
import { startNode, type Node } from "./localnet";
import { balance, big, clientFor, logsOf, rates, refusedAs, resultHash, sendPaidBy, sleep, terms } from "./fixtures";

let node: Node;
before(async () => {
  node = await startNode();
});
after(() => node.stop());

describe("provider funds", () => {
  it("holds a payout an empty wallet cannot receive until the provider withdraws it, and retires keeping the treasury's fees", async () => {
    const funder = await node.fund(5);
    const providerKey = await node.fund(1);
    const provider = clientFor(node, providerKey);
    const clientKey = await node.fund(5);
    const client = clientFor(node, clientKey);
    const market = await client.getMarket();
    const account = await providerPda(providerKey.address);
    const perCore = 3_600_000; // 1,000 lamports per second: the payout stays below a wallet's rent-exempt minimum
    await provider.send([await provider.registerProvider({ cpuCores: 2, ramGb: 8, storageGb: 0, gpus: 0 }, rates(perCore, 1), "http://p.example", 0)]);
    // The provider's wallet gives away everything; from now on the funder pays its transaction fees.
    const all = Number(await balance(node, providerKey.address));
    await sendPaidBy(node, funder, [getTransferSolInstruction({ source: providerKey, destination: funder.address, amount: lamports(BigInt(all)) })]);
    assert.equal(await balance(node, providerKey.address), 0n);

    const requirements = { cpuCores: 1, ramGb: 0, storageGb: 0, gpus: 0 };
    await client.send([await client.registerClient(), await client.postJob(0, { ...terms(1, perCore, 600), requirements })]);
    const [job] = await jobPda(clientKey.address, 0);
    await sendPaidBy(node, funder, [await provider.assignJob(job, clientKey.address, providerKey.address, perCore)]);
    await sendPaidBy(node, funder, [await provider.startJob(job)]);
    await sleep(1_600);
    await sendPaidBy(node, funder, [await provider.submitResult(job, resultHash())]);
    const accountBefore = await balance(node, account);
    const completed = await client.send([await client.completeAndPay(job)]);

    const settled = await client.getJob(job);
    assert.equal(settled.status, JobStatus.Completed);
    const payout = big(settled.providerPayout);
    const fee = big(settled.fee);
    assert.ok(payout > 0n, "some work was paid for");
    assert.equal(await balance(node, providerKey.address), 0n, "nothing reached the empty wallet");
    assert.equal((await balance(node, account)) - accountBefore, payout + fee, "the payout and the fee wait on the provider's account");
    let record = await client.getProvider(providerKey.address);
    assert.equal(big(record.earningsOwed), payout);
    assert.equal(big(record.feesOwed), fee);
    assert.equal(big(record.totalEarned), payout, "earned, though still owed");

    // Withdrawing into a wallet that still could not hold it is refused; funded, it gets exactly what it is owed.
    await refusedAs(sendPaidBy(node, funder, [await provider.withdrawEarnings()]), "RecipientNotRentExempt");
    await sendPaidBy(node, funder, [getTransferSolInstruction({ source: funder, destination: providerKey.address, amount: lamports(1_000_000_000n) })]);
    const withdrawn = await sendPaidBy(node, funder, [await provider.withdrawEarnings()]);
    assert.equal(await balance(node, providerKey.address), 1_000_000_000n + payout);
    record = await client.getProvider(providerKey.address);
    assert.equal(big(record.earningsOwed), 0n);
    // (The provider pays this one itself, so that it is not the same transaction again.)
    await refusedAs(provider.send([await provider.withdrawEarnings()]), "NothingOwed");

    if (node.usesArtifact) {
      const events = async (signature: string) => {
        return decodeEvents(await logsOf(node, signature));
      };
      const [paid] = await events(completed);
      assert.equal(paid.name, "JobCompleted");
      assert.equal(big(paid.data.provider_payout_held as never), payout, "the event says the payout was held");
      const [taken] = await events(withdrawn);
      assert.equal(taken.name, "EarningsWithdrawn");
      assert.equal(big(taken.data.amount as never), payout);
    }

    // Retiring: the account stays with its rent and the treasury's fees; anything else (here a gift) goes to the provider.
    const gift = 12_345n;
    await sendPaidBy(node, funder, [getTransferSolInstruction({ source: funder, destination: account, amount: lamports(gift) })]);
    const totalsBefore = marketStats(await client.listProviders(), await client.listClientProfiles());
    const info = await node.rpc.getAccountInfo(account, { commitment: "confirmed", encoding: "base64" }).send();
    const space = Buffer.from(info.value!.data[0], "base64").length;
    const rent = await node.rpc.getMinimumBalanceForRentExemption(BigInt(space)).send();
    assert.equal(await balance(node, account), rent + fee + gift);
    const walletBefore = await balance(node, providerKey.address);
    await sendPaidBy(node, funder, [await provider.closeProvider()]);
    assert.equal((await balance(node, providerKey.address)) - walletBefore, gift);
    assert.equal(await balance(node, account), rent + fee);
    record = await client.getProvider(providerKey.address);
    assert.equal(record.retired, 1);
    assert.equal(record.active, 0);
    const totalsAfter = marketStats(await client.listProviders(), await client.listClientProfiles());
    assert.equal(totalsBefore.providers - totalsAfter.providers, 1n, "a retired provider is not counted");
    await refusedAs(sendPaidBy(node, funder, [await provider.setProviderActive(true)]), "ProviderRetired");
    await refusedAs(provider.send([await provider.closeProvider()]), "ProviderRetired");

    // Anyone still collects a retired provider's fees for the treasury.
    const treasuryBefore = await balance(node, market.treasury);
    await sendPaidBy(node, funder, [await clientFor(node, funder).collectFees(providerKey.address)]);
    assert.equal((await balance(node, market.treasury)) - treasuryBefore, fee);
    assert.equal(await balance(node, account), rent);

    // Registering again reopens the same record, its history and reputation kept; twice is refused.
    const reputation = record.reputation;
    const register = await provider.registerProvider({ cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 }, rates(perCore, 1), "http://p.example", 0);
    await sendPaidBy(node, funder, [register]);
    record = await client.getProvider(providerKey.address);
    assert.equal(record.retired, 0);
    assert.equal(record.active, 1);
    assert.equal(record.capacity.cpuCores, 4);
    assert.equal(record.reputation, reputation);
    assert.equal(big(record.totalEarned), payout);
    const again = await provider.registerProvider({ cpuCores: 3, ramGb: 8, storageGb: 0, gpus: 0 }, rates(perCore, 1), "http://p.example", 0);
    await refusedAs(provider.send([again]), "ProviderAlreadyRegistered");
  });
});
