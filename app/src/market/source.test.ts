// @vitest-environment node
// The client's analytics pick their source: the index when given its URL, else the node, saying so.
// (In node: program addresses are derived with the platform's own hashing, which jsdom's realm upsets.)
import { NODE_HISTORY_NOTE, providerActivity } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PROVIDER_KEY, providerStats } from "./fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("the source of a provider's activity", () => {
  it("reads a provider's activity from the index with an apiUrl, from the node's transactions without, and says which", async () => {
    const now = Math.floor(Date.now() / 1000);
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(providerStats(now)))));
    // A kit RPC: each method returns a request whose send() answers.
    const answer = <T>(value: T) => vi.fn((..._args: unknown[]) => ({ send: async () => value }));
    const rpc = {
      getAccountInfo: answer<unknown>({ value: { data: ["", "base64"], executable: false, lamports: 1n, owner: PROVIDER_KEY, space: 0n } }),
      getSignaturesForAddress: answer([]),
      getTransaction: answer(null),
    };
    const me = PROVIDER_KEY as Address;
    const indexed = await providerActivity(rpc as never, me, { apiUrl: "http://idx", now });
    expect(indexed?.source).toBe("index");
    expect(indexed?.note).toBeNull();
    expect(indexed?.totals.lamports).toBe(1_900_000n);
    expect(rpc.getAccountInfo).not.toHaveBeenCalled();

    const fromNode = await providerActivity(rpc as never, me, { apiUrl: null, now });
    expect(fromNode?.source).toBe("node");
    expect(fromNode?.note).toBe(NODE_HISTORY_NOTE);
    expect(fromNode?.series).toHaveLength(30);
    expect(fromNode?.totals.uptimeBps).toBeNull();
    expect(rpc.getSignaturesForAddress).toHaveBeenCalledWith(expect.any(String), { limit: 500, commitment: "confirmed" });
    rpc.getAccountInfo.mockReturnValueOnce({ send: async () => ({ value: null }) });
    expect(await providerActivity(rpc as never, me, { now })).toBeNull();
  });
});
