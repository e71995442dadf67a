// The SVG charts: round axis steps, bars and lines per series, gaps for missing rates, exact tooltips.
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AmountChart, DailyPercentChart, JobsChart, ticks } from "./Charts";

afterEach(cleanup);
const usdc = { mint: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC", decimals: 6, enabled: true };

describe("charts", () => {
  it("steps the y axis in round numbers up to the largest value", () => {
    expect(ticks(0)).toEqual([0, 1]);
    expect(ticks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(ticks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(ticks(0.0031)).toEqual([0, 0.001, 0.002, 0.003, 0.004]);
  });

  it("draws a bar per series and point, each titled with its exact figure", () => {
    const { container } = render(<JobsChart points={[{ time: 0, posted: 2, completed: 1 }, { time: 3600, posted: 0, completed: 3 }]} />);
    expect(container.querySelectorAll("rect")).toHaveLength(4);
    expect([...container.querySelectorAll("rect title")].map((t) => t.textContent?.split(": ")[1])).toEqual(["jobs posted 2", "jobs posted 0", "jobs paid 1", "jobs paid 3"]);
    expect(container.querySelector(".legend")?.textContent).toContain("jobs posted");
  });

  it("labels amounts in their currency, exactly, and leaves gaps where a rate is missing", () => {
    const { container } = render(<AmountChart currency={usdc} points={[{ time: 0, v: 1_500_000n }, { time: 60, v: 1n }]} series={[{ key: "v", name: "paid", color: "#000", value: (p) => p.v }]} />);
    expect([...container.querySelectorAll("circle title")].map((t) => t.textContent?.split(": ")[1])).toEqual(["paid 1.5 USDC", "paid 0.000001 USDC"]);
    expect(container.querySelector("svg text.unit")?.textContent).toBe("USDC");
    expect([...container.querySelectorAll("svg text")].map((t) => t.textContent).slice(1, 4)).toEqual(["0", "0.5", "1"]);
    const { container: rates } = render(
      <DailyPercentChart points={[{ start: 0, r: 5000 }, { start: 86_400, r: null }, { start: 172_800, r: 10_000 }, { start: 259_200, r: 9_000 }]}
        series={[{ key: "r", name: "rate", color: "#000", value: (p) => p.r }]} />,
    );
    expect(rates.querySelectorAll("circle")).toHaveLength(3);
    expect(rates.querySelectorAll("polyline")).toHaveLength(1); // the gap splits the line; a lone point is only a dot
  });
});
