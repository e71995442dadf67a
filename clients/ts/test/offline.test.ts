// What the client computes without a node: token amounts with decimals, the escrow an extension takes, program
// errors by name and code, and events decoded from "Program data:" logs by the generated codecs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSigner, getAddressEncoder, getBase64Decoder, getI64Encoder, getU64Encoder } from "@solana/kit";
import {
  IDL, LIMITS, MarketError, PROGRAM_ERRORS, PROGRAM_ID, costFor, decodeEvents, extensionEscrow, formatAmount, parseAmount, plainEventData, translateError,
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
