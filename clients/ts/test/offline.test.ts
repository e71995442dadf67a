// What the client computes without a node: token amounts with decimals, the escrow an extension takes, the
// program's bond rules as the client mirrors them, program errors by name and code, and events decoded from
// "Program data:" logs by the generated codecs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  createSolanaRpc, generateKeyPairSigner, getAddressEncoder, getBase64Decoder, getI64Encoder, getProgramDerivedAddress, getU64Encoder, getUtf8Encoder,
} from "@solana/kit";
import {
  BOND_PROVIDER_OFFSET, DEFAULT_ADDRESS, IDL, LIMITS, MAX_SLASH_BPS, MarketClient, MarketError, PROGRAM_ERRORS, PROGRAM_ID, bondAddress, bondFree, bondRefusal, bondUnlocked,
  costFor, decodeEvents, depositRefusal, generated, extensionEscrow, formatAmount, parseAmount, plainEventData, refusedByProgram, slashOf, translateError,
  withdrawalRefusal, withdrawalRequestRefusal,
} from "../src";

describe("token amounts", () => {
  it("format base units with the mint's decimals exactly", () => {
    assert.equal(formatAmount(1_500_000n, 6), "1.5");
    assert.equal(formatAmount(1n, 6), "0.000001");
    assert.equal(formatAmount(0n, 6), "0");
    assert.equal(formatAmount(12_000_000n, 6), "12");
    assert.equal(formatAmount(18_446_744_073_709_551_615n, 9), "18446744073.709551615");
    assert.equal(formatAmount(42n, 0), "42");
  });

  it("parse amounts to base units exactly and refuse what the mint cannot hold", () => {
    assert.equal(parseAmount("1.5", 6), 1_500_000n);
    assert.equal(parseAmount("0.000001", 6), 1n);
    assert.equal(parseAmount("12", 6), 12_000_000n);
    assert.equal(parseAmount("12.", 6), 12_000_000n);
    assert.equal(parseAmount("18446744073.709551615", 9), 18_446_744_073_709_551_615n);
    assert.throws(() => parseAmount("0.0000001", 6), /more than 6 decimals/);
    assert.throws(() => parseAmount("-1", 6), /not an amount/);
    assert.throws(() => parseAmount("1e6", 6), /not an amount/);
    assert.throws(() => parseAmount("", 6), /not an amount/);
    for (const text of ["0.1", "3.141592", "100"]) assert.equal(formatAmount(parseAmount(text, 6), 6), text);
  });
});

describe("extension escrow", () => {
  it("is the cost of the new duration less the old, each rounded down as the program rounds them", () => {
    const job = { agreedPricePerHour: 7_000_001n, durationSecs: 600 };
    assert.equal(extensionEscrow(job, 301), 1_751_944n - 1_166_666n);
    // A second at 1,800 an hour is half a unit: the second that completes a unit escrows it, the next one nothing.
    assert.equal(extensionEscrow({ agreedPricePerHour: 1_800n, durationSecs: 1 }, 1), 1n);
    assert.equal(extensionEscrow({ agreedPricePerHour: 1_800n, durationSecs: 2 }, 1), 0n);
    // Steps add up to the whole: extending in steps escrows exactly what extending at once does.
    const steps = [7, 60, 3_541, 1];
    let duration = job.durationSecs;
    let escrowed = 0n;
    for (const step of steps) {
      escrowed += extensionEscrow({ ...job, durationSecs: duration }, step);
      duration += step;
    }
    assert.equal(escrowed, extensionEscrow(job, duration - job.durationSecs));
    assert.equal(costFor(job.agreedPricePerHour, job.durationSecs) + escrowed, costFor(job.agreedPricePerHour, duration));
    // Exact beyond 2^53: the last second of the longest job at the highest price, 216,000,000,000,000,000 for the
    // whole duration less 215,999,972,222,222,222 (rounded down) without it.
    assert.equal(extensionEscrow({ agreedPricePerHour: LIMITS.maxPricePerHour, durationSecs: LIMITS.maxJobDurationSecs - 1 }, 1), 27_777_777_778n);
  });
});

describe("bond rules", () => {
  const bond = (held: bigint, locked = 0n, pending = 0n, withdrawAt = 0n) => ({ held, locked, pending, withdrawAt });

  it("derive a bond's address from the IDL's seed, the provider and the mint (the default address for lamports)", async () => {
    const provider = (await generateKeyPairSigner()).address;
    const seed = Uint8Array.from(JSON.parse(IDL.constants.find((c) => c.name === "BOND_SEED")!.value) as number[]);
    assert.deepEqual(seed, getUtf8Encoder().encode("bond"));
    const key = (a: string) => getAddressEncoder().encode(a as never);
    const [expected] = await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [seed, key(provider), key(DEFAULT_ADDRESS)] });
    assert.equal(await bondAddress(provider, DEFAULT_ADDRESS), expected);
    assert.notEqual(await bondAddress(provider, PROGRAM_ID), expected, "one bond per currency");
  });

  it("find a provider's bonds by its authority at BOND_PROVIDER_OFFSET, where the generated layout puts it", async () => {
    const provider = (await generateKeyPairSigner()).address;
    const data = generated.getBondEncoder().encode({
      provider, mint: DEFAULT_ADDRESS, tokens: DEFAULT_ADDRESS, held: 1n, locked: 0n, pending: 0n, withdrawAt: 0n, slashed: 0n, jobsLocked: 0, bump: 255,
      reserved: new Uint8Array(3),
    });
    assert.equal(data.length, 152, "8 + 144 bytes, as the program lays a Bond out");
    assert.deepEqual(data.slice(BOND_PROVIDER_OFFSET, BOND_PROVIDER_OFFSET + 32), getAddressEncoder().encode(provider));
  });

  it("slash a share of the minimum bond rounded down, and lock only what is free, as the program does", () => {
    assert.equal(slashOf(1_000n, 2_500), 250n);
    assert.equal(slashOf(3n, 5_000), 1n);
    assert.equal(slashOf(18_446_744_073_709_551_615n, 10_000), 18_446_744_073_709_551_615n, "exact beyond 2^53");
    assert.equal(slashOf(1_000n, 0), 0n);
    assert.equal(MAX_SLASH_BPS, 5_000);

    const b = bond(100n, 40n, 30n);
    assert.deepEqual([bondFree(b), bondUnlocked(b)], [30n, 60n]);
    assert.equal(bondRefusal({ minBond: 0n }, null), null, "a job asking for no bond suits every provider");
    assert.equal(bondRefusal({ minBond: 1n }, null), "WrongBond", "no bond account in the job's currency");
    assert.equal(bondRefusal({ minBond: 30n }, b), null);
    assert.equal(bondRefusal({ minBond: 31n }, b), "BondTooSmall", "what is pending withdrawal backs no job");
  });

  it("refuse deposits, requests and withdrawals by the program's error names", async () => {
    assert.equal(depositRefusal(0n), "InvalidBondAmount");
    assert.equal(depositRefusal(1n), null);
    assert.equal(withdrawalRequestRefusal(bond(100n, 40n), 60n), null);
    assert.equal(withdrawalRequestRefusal(bond(100n, 40n), 61n), "BondInUse", "locked value cannot be requested");
    assert.equal(withdrawalRequestRefusal(bond(100n, 100n), 0n), null, "zero cancels a request whatever is locked");
    assert.equal(withdrawalRefusal(bond(100n), 5n), "NoBondWithdrawal");
    assert.equal(withdrawalRefusal(bond(100n, 0n, 60n, 1_000n), 999), "BondCoolingDown");
    assert.equal(withdrawalRefusal(bond(100n, 0n, 60n, 1_000n), 1_000n), null);

    const refused = refusedByProgram("InvalidBondAmount");
    const idl = IDL.errors.find((e) => e.name === "InvalidBondAmount")!;
    assert.deepEqual([refused.code, refused.errorName, refused.errorMessage], [idl.code, idl.name, idl.msg]);
    // The client refuses a zero deposit before reading anything (this RPC answers nothing).
    const client = new MarketClient(createSolanaRpc("http://127.0.0.1:9"), await generateKeyPairSigner());
    await assert.rejects(client.depositBond(0n), (e: unknown) => e instanceof MarketError && e.errorName === "InvalidBondAmount");
  });
});

describe("program errors", () => {
  it("name every IDL error from the generated table", () => {
    assert.equal(PROGRAM_ERRORS.size, IDL.errors.length);
    for (const e of IDL.errors) assert.deepEqual(PROGRAM_ERRORS.get(e.code), { name: e.name, message: e.msg });
  });

  it("translate a custom program error without logs by its code", () => {
    const error = translateError(new Error('transaction failed: {"InstructionError":[0,{"Custom":6000}]}'));
    assert.ok(error instanceof MarketError);
    assert.equal(error.errorName, "NotAdmin");
    const other = new Error("blockhash not found");
    assert.equal(translateError(other), other);
  });
});

describe("events", () => {
  it("decode the program's own Program data lines with the generated codecs, in the IDL's shape", async () => {
    const entry = IDL.events.find((e) => e.name === "EarningsWithdrawn")!;
    const [provider, authority] = [(await generateKeyPairSigner()).address, (await generateKeyPairSigner()).address];
    const bytes = Uint8Array.from([
      ...entry.discriminator, ...getAddressEncoder().encode(provider), ...getAddressEncoder().encode(authority),
      ...getU64Encoder().encode(12_345n), ...getI64Encoder().encode(1_700_000_000n),
    ]);
    const line = `Program data: ${getBase64Decoder().decode(bytes)}`;
    const other = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    const logs = [
      `Program ${PROGRAM_ID} invoke [1]`, line,
      `Program ${other} invoke [2]`, line, `Program ${other} success`,
      `Program ${PROGRAM_ID} success`,
    ];
    const events = decodeEvents(logs);
    assert.equal(events.length, 1, "data logged by another program is not the market's");
    assert.deepEqual(events[0], { name: "EarningsWithdrawn", data: { provider, authority, amount: 12_345n, timestamp: 1_700_000_000n } });
    assert.deepEqual(plainEventData(events[0].data), { provider, authority, amount: "12345", timestamp: "1700000000" });
  });
});
