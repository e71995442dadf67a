import { describe, expect, it } from "vitest";
import { formatBps, formatDuration, formatSol, parseSol } from "./format";

describe("amounts", () => {
  it("formats lamports as SOL exactly", () => {
    expect(formatSol(0n)).toBe("0 SOL");
    expect(formatSol(1n)).toBe("0.000000001 SOL");
    expect(formatSol(12_500_000n)).toBe("0.0125 SOL");
    expect(formatSol(3_000_000_000n)).toBe("3 SOL");
    expect(formatSol(-1_500_000_000n)).toBe("-1.5 SOL");
  });

  it("parses SOL to the lamport and refuses what is not an amount", () => {
    expect(parseSol("0.5")).toBe(500_000_000n);
    expect(parseSol(" 12 ")).toBe(12_000_000_000n);
    expect(parseSol(".25")).toBe(250_000_000n);
    expect(parseSol("0.000000001")).toBe(1n);
    expect(() => parseSol("0.0000000001", "max price")).toThrow("max price: at most 9 decimals");
    expect(() => parseSol("-1")).toThrow('"-1" is not an amount of SOL');
    expect(() => parseSol("1e3")).toThrow("not an amount");
    expect(() => parseSol("")).toThrow("not an amount");
    expect(() => parseSol(".")).toThrow("not an amount");
  });
});

describe("rates and durations", () => {
  it("formats basis points as percentages", () => {
    expect(formatBps(null)).toBe("–");
    expect(formatBps(10_000)).toBe("100%");
    expect(formatBps(9_750)).toBe("97.5%");
    expect(formatBps(250)).toBe("2.5%");
    expect(formatBps(1_234)).toBe("12.34%");
  });

  it("formats durations in the largest units", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(5400)).toBe("1 h 30 min");
    expect(formatDuration(90_000)).toBe("1 d 1 h");
  });
});
