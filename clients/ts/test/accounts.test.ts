// Every account type of the program, as the program wrote it on the node, decoded by the generated codecs:
// each field holds the value the test set, the codec's size is the account's, and encoding the decoded value
// gives back the account's bytes (so every field sits at the program's repr(C) offset).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fetchEncodedAccount, type Address, type Decoder, type Encoder } from "@solana/kit";
import { TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import {
  ASSIGN_BY_CLIENTS, CPU_ARCH, DEFAULT_ADDRESS, gpuModel, gpuNeeds, JOB_STATUS_OFFSET, JobStatus, REPUTATION_UNIT_LAMPORTS, associatedTokenAddress, clientProfilePda, costFor,
  encodeSpec, generated, hourlyPrice, jobPda, marketPda, pairPda, paymentMintPda, providerPda, quotePda, uriText, vaultPda, vaultTokensPda,
} from "../src";
import { join } from "node:path";
import { readKeypair, startNode, type Node } from "./localnet";
import { clientFor, rates, resultHash, sleep, terms } from "./fixtures";
import { acceptedMint, mintTo } from "./mint";

const g = generated;
let node: Node;
before(async () => {
  node = await startNode();
});
after(() => node.stop());

/** The account's bytes, decoded; asserts the codec spans exactly the account and re-encodes it byte for byte. */
async function decoded<T extends object>(address: Address, codec: { decoder: Decoder<T>; encoder: Encoder<T>; size: number }): Promise<T> {
  const account = await fetchEncodedAccount(node.rpc, address, { commitment: "confirmed" });
  assert.ok(account.exists, `an account at ${address}`);
  assert.equal(account.data.length, codec.size, "the generated layout's size is the account's");
  const value = codec.decoder.decode(account.data);
  assert.deepEqual(codec.encoder.encode(value), account.data, "re-encoding gives the account's bytes back");
  return value;
}

const codec = <T extends object>(decoder: Decoder<T>, encoder: Encoder<never>, size: number) => ({ decoder, encoder: encoder as unknown as Encoder<T>, size });

describe("account layouts", () => {
  it("decode every account type the program writes, field by field", async () => {
    const { mint, minter, treasury } = await acceptedMint(node);
    const matcher = await readKeypair(join(node.keys, "matcher.json"));

    const market = await decoded(await marketPda(), codec(g.getMarketDecoder(), g.getMarketEncoder(), g.getMarketSize()));
    assert.equal(market.admin, node.admin.address);
    assert.equal(market.treasury, node.treasury.address);
    assert.equal(market.treasury, treasury);
    assert.equal(market.matcher, matcher.address);
    assert.equal(market.pendingAdmin, DEFAULT_ADDRESS);
    assert.deepEqual(market.windows, { startWindowSecs: 600, reviewWindowSecs: 3_600, graceSecs: 300, disputeWindowSecs: 86_400 });
    assert.equal(market.feeBps, 250);
    assert.equal(market.paused, 0);

    const paymentMint = await decoded(await paymentMintPda(mint), codec(g.getPaymentMintDecoder(), g.getPaymentMintEncoder(), g.getPaymentMintSize()));
    assert.deepEqual(
      { ...paymentMint, discriminator: undefined, bump: undefined },
      { mint, tokenProgram: TOKEN_PROGRAM_ADDRESS, freezeAuthority: DEFAULT_ADDRESS, reputationLamportsPerToken: 1_000_000_000n, decimals: 6, enabled: true, discriminator: undefined, bump: undefined },
    );

    const providerKey = await node.fund(5);
    const provider = clientFor(node, providerKey);
    const capacity = { ramGb: 64, storageGb: 500, cpuCores: 16, gpus: 2 };
    const lamportRates = rates(2_000_000, 30_000, 90_000_000);
    const hardware = { gpuModel: gpuModel("A100-80GB").id, vramGb: 80, cpuArch: CPU_ARCH.aarch64 };
    await provider.send([await provider.registerProvider(capacity, { ...lamportRates, perGbStorage: 700n }, "https://provider.example/agent", ASSIGN_BY_CLIENTS, hardware)]);
    const tokenRates = { ...rates(36_000_000, 10_000, 5_000_000), perGbStorage: 100n }; // every resource offered needs a rate
    await provider.send([await provider.addMintQuote(mint, tokenRates)]);
    const quote = await decoded(await quotePda(providerKey.address, mint), codec(g.getMintQuoteDecoder(), g.getMintQuoteEncoder(), g.getMintQuoteSize()));
    assert.equal(quote.provider, providerKey.address);
    assert.equal(quote.mint, mint);
    assert.deepEqual(quote.rates, tokenRates);

    const clientKey = await node.fund(5);
    const client = clientFor(node, clientKey);
    await mintTo(node, minter, mint, clientKey.address, 50_000_000n);
    const spec = await encodeSpec({ version: 1, command: ["echo", "layout"] });
    const jobTerms = { ...terms(3, 200_000_000n, 120), requirements: { cpuCores: 3, ramGb: 12, storageGb: 0, gpus: 1 }, minReputation: 0, targetProvider: providerKey.address, specHash: spec.hash, specUri: "https://specs.example/layout.json", gpu: gpuNeeds({ models: [0x0202, 0x0201], minVramGb: 40, family: 0x02 }) };
    await client.send([await client.registerClient(), await client.postJob(0, jobTerms, { mint })]);
    const [job] = await jobPda(clientKey.address, 0);
    const price = hourlyPrice(tokenRates, jobTerms.requirements);
    await provider.send([await provider.assignJob(job, clientKey.address, providerKey.address, price)]);

    const [vaultAddress] = await vaultPda(job);
    const vault = await decoded(vaultAddress, codec(g.getVaultDecoder(), g.getVaultEncoder(), g.getVaultSize()));
    assert.equal(vault.job, job);
    assert.equal(vault.tokens, (await vaultTokensPda(job))[0]);

    const assigned = await decoded(job, codec(g.getJobDecoder(), g.getJobEncoder(), g.getJobSize()));
    assert.equal(assigned.client, clientKey.address);
    assert.equal(assigned.provider, providerKey.address);
    assert.equal(assigned.paymentMint, mint);
    assert.equal(assigned.targetProvider, providerKey.address);
    assert.equal(assigned.jobId, 0n);
    assert.equal(assigned.maxPricePerHour, 200_000_000n);
    assert.equal(assigned.agreedPricePerHour, price);
    assert.equal(assigned.escrow, costFor(price, 120));
    assert.deepEqual(assigned.requirements, jobTerms.requirements);
    assert.equal(assigned.durationSecs, 120);
    assert.equal(assigned.feeBps, 250);
    assert.equal(assigned.minReputation, 0);
    assert.equal(assigned.status, JobStatus.Assigned);
    assert.equal(assigned.rating, 0);
    assert.deepEqual([...assigned.specHash], spec.hash);
    assert.deepEqual([...assigned.resultHash], new Array(32).fill(0));
    assert.deepEqual(assigned.windows, market.windows);
    assert.equal(uriText(assigned.specUri), "https://specs.example/layout.json");
    assert.deepEqual(assigned.gpu, { models: [0x0202, 0x0201, 0, 0], minVramGb: 40, family: 0x02 });
    assert.equal(assigned.startDeadline, assigned.assignedAt + 600n);
    const raw = await fetchEncodedAccount(node.rpc, job, { commitment: "confirmed" });
    assert.equal(raw.exists ? raw.data[JOB_STATUS_OFFSET] : undefined, JobStatus.Assigned, "the status at the IDL's JOB_STATUS_OFFSET");

    const busy = await decoded(await providerPda(providerKey.address), codec(g.getProviderDecoder(), g.getProviderEncoder(), g.getProviderSize()));
    assert.equal(busy.authority, providerKey.address);
    assert.deepEqual(busy.rates, { ...lamportRates, perGbStorage: 700n });
    assert.deepEqual(busy.capacity, capacity);
    assert.deepEqual(busy.free, { ramGb: 52, storageGb: 500, cpuCores: 13, gpus: 1 });
    assert.equal(busy.activeJobs, 1);
    assert.equal(busy.active, 1);
    assert.equal(uriText(busy.metadataUri), "https://provider.example/agent");
    assert.equal(busy.assignment, ASSIGN_BY_CLIENTS);
    assert.equal(busy.retired, 0);
    assert.deepEqual([busy.gpuModel, busy.vramGb, busy.cpuArch], [0x0202, 80, CPU_ARCH.aarch64]);
    assert.equal(busy.jobsCompleted, 0n);

    await provider.send([await provider.startJob(job)]);
    await sleep(2_100);
    const hash = resultHash("layout");
    await provider.send([await provider.submitResult(job, hash)]);
    await client.send([await client.completeAndPay(job, 3)]);

    const done = await decoded(job, codec(g.getJobDecoder(), g.getJobEncoder(), g.getJobSize()));
    assert.equal(done.status, JobStatus.Completed);
    assert.equal(done.rating, 3);
    assert.deepEqual([...done.resultHash], hash);
    const payment = done.providerPayout + done.fee;
    assert.equal(payment, costFor(price, Number(done.submittedAt - done.startedAt)));

    const profile = await decoded(await clientProfilePda(clientKey.address), codec(g.getClientProfileDecoder(), g.getClientProfileEncoder(), g.getClientProfileSize()));
    assert.equal(profile.authority, clientKey.address);
    assert.equal(profile.nextJobId, 1n);
    assert.equal(profile.jobsPosted, 1n);
    assert.equal(profile.jobsCompleted, 1n);
    assert.equal(profile.jobsCancelled, 0n);
    assert.equal(profile.totalSpent, 0n, "lamport totals: a token job adds nothing");
    assert.ok(profile.registeredAt > 0n && profile.registeredAt <= done.postedAt);

    // One whole token (10^6 base units) counts as 1 SOL: the pair record carries the work's value in units.
    const pair = await decoded(await pairPda(providerKey.address, clientKey.address), codec(g.getPairDecoder(), g.getPairEncoder(), g.getPairSize()));
    assert.equal(pair.provider, providerKey.address);
    assert.equal(pair.client, clientKey.address);
    assert.equal(pair.jobs, 1n);
    assert.equal(pair.units, (payment * 1_000_000_000n) / 1_000_000n / BigInt(REPUTATION_UNIT_LAMPORTS));
    assert.equal(pair.firstAt, done.finishedAt);

    const paid = await decoded(await providerPda(providerKey.address), codec(g.getProviderDecoder(), g.getProviderEncoder(), g.getProviderSize()));
    assert.deepEqual(paid.free, capacity);
    assert.equal(paid.jobsCompleted, 1n);
    assert.equal(paid.ratingSum, 3n);
    assert.equal(paid.ratingCount, 1n);
    assert.equal(paid.counterparties, 1n);
    assert.equal(paid.deliveredUnits, pair.units);
    assert.equal(paid.totalEarned, 0n, "lamport totals: a token job adds nothing");
  });
});
