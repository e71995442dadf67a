import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./routes";

describe("routes", () => {
  it("parses every screen and round-trips", () => {
    expect(parseRoute("")).toEqual({ screen: "market" });
    expect(parseRoute("#/nonsense")).toEqual({ screen: "market" });
    for (const screen of ["market", "providers", "provider", "post", "jobs", "activity"] as const) {
      expect(parseRoute(href({ screen }))).toEqual({ screen });
    }
    expect(parseRoute("#/jobs/AbC")).toEqual({ screen: "job", address: "AbC" });
    expect(href({ screen: "job", address: "AbC" })).toBe("#/jobs/AbC");
  });
});
