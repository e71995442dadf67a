// What the client computes without a node: token amounts with decimals, program errors by name and code,
// and events decoded from "Program data:" logs by the generated codecs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSigner, getAddressEncoder, getBase64Decoder, getI64Encoder, getU64Encoder } from "@solana/kit";
import { IDL, MarketError, PROGRAM_ERRORS, PROGRAM_ID, decodeEvents, formatAmount, parseAmount, plainEventData, translateError } from "../src";

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
