// @vitest-environment node
// The client's analytics pick their source: the index when given its URL, else the node, saying so.
// (In node: program addresses are derived with the platform's own hashing, which jsdom's realm upsets.)
import { NODE_HISTORY_NOTE, providerActivity } from "@compute-market/client";
import { PublicKey } from "@solana/web3.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PROVIDER_KEY, providerStats } from "./fixtures";

afterEach(() => vi.unstubAllGlobals());

describe("the source of a provider's activity", () => {
  it("reads a provider's activity from the index with an apiUrl, from the node's transactions without, and says which", async () => {
    const now = Math.floor(Date.now() / 1000);
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify(providerStats(now)))));
    const connection = {
      getAccountInfo: vi.fn(async () => ({ data: Buffer.alloc(0) })),
      getSignaturesForAddress: vi.fn(async () => []),
      getTransactions: vi.fn(async () => []),
    };
    const me = new PublicKey(PROVIDER_KEY);
    const indexed = await providerActivity(connection as never, me, { apiUrl: "http://idx", now });
    expect(indexed?.source).toBe("index");
    expect(indexed?.note).toBeNull();
    expect(indexed?.totals.lamports).toBe(1_900_000n);
    expect(connection.getAccountInfo).not.toHaveBeenCalled();

    const fromNode = await providerActivity(connection as never, me, { apiUrl: null, now });
    expect(fromNode?.source).toBe("node");
    expect(fromNode?.note).toBe(NODE_HISTORY_NOTE);
    expect(fromNode?.series).toHaveLength(30);
    expect(fromNode?.totals.uptimeBps).toBeNull();
    expect(connection.getSignaturesForAddress).toHaveBeenCalledWith(expect.any(PublicKey), { limit: 500 }, "confirmed");
    connection.getAccountInfo.mockResolvedValueOnce(null as never);
    expect(await providerActivity(connection as never, me, { now })).toBeNull();
  });
});
