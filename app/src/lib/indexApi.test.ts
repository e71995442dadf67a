// The index's API client (clients/ts/src/api.ts) against a mocked fetch: URLs and query encoding, pagination,
// the server's errors, timeouts, exact amounts and answers of the wrong shape.
import { IndexApi, IndexApiError, collectPages, paginate, quoteBigIntegers } from "@compute-market/client";
import { describe, expect, it, vi } from "vitest";
import { JOB, PROVIDER, randomAddress } from "../market/fixtures";

type Reply = { status?: number; body: unknown };
/** A fetch answering from `replies` in order, recording each URL asked. */
function mockFetch(...replies: Reply[]) {
  const urls: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    urls.push(String(input));
    const reply = replies.shift() ?? { status: 500, body: { error: "no more replies" } };
    const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    return new Response(text, { status: reply.status ?? 200, headers: { "content-type": "application/json" } });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, urls };
}

const page = (items: unknown[], next_cursor: string | null = null) => ({ body: { items, next_cursor } });

describe("IndexApi", () => {
  it("builds each endpoint's URL, encoding the query and leaving absent parameters out", async () => {
    const client = randomAddress();
    const { fetch, urls } = mockFetch(page([]), page([]), page([]), page([]), { body: PROVIDER }, { body: JOB });
    const api = new IndexApi("http://idx.example:8901/", { fetch });
    await api.jobs({ client, status: "completed", limit: 20, cursor: "a b&c=d" });
    await api.providers({ active: true, retired: false, min_reputation: 5000, min_cpu_cores: undefined });
    await api.events({ name: "JobCompleted", job: JOB.address });
    await api.jobEvents(JOB.address, { limit: 2 });
    await api.provider(PROVIDER.authority);
    await api.job("../../etc/passwd?x=1");
    expect(urls).toEqual([
      `http://idx.example:8901/jobs?client=${client}&status=completed&limit=20&cursor=a+b%26c%3Dd`,
      "http://idx.example:8901/providers?active=true&retired=false&min_reputation=5000",
      `http://idx.example:8901/events?name=JobCompleted&job=${JOB.address}`,
      `http://idx.example:8901/jobs/${JOB.address}/events?limit=2`,
      `http://idx.example:8901/providers/${PROVIDER.authority}`,
      "http://idx.example:8901/jobs/..%2F..%2Fetc%2Fpasswd%3Fx%3D1",
    ]);
  });

  it("asks for stats with their bucket and range", async () => {
    const { fetch, urls } = mockFetch({ status: 404, body: { error: "no provider" } }, { status: 404, body: { error: "no client" } });
    const api = new IndexApi("http://i", { fetch });
    expect(await IndexApi.orNull(api.providerStats("11111111111111111111111111111111", { bucket: "day", from: 100, to: 200 }))).toBeNull();
    expect(await IndexApi.orNull(api.clientStats("11111111111111111111111111111111", { bucket: "hour" }))).toBeNull();
    expect(urls).toEqual([
      "http://i/stats/providers/11111111111111111111111111111111?bucket=day&from=100&to=200",
      "http://i/stats/clients/11111111111111111111111111111111?bucket=hour",
    ]);
  });

  it("keeps amounts exact beyond 2^53, and checks the shape of what it renders", async () => {
    const big = "18446744073709551615";
    const text = JSON.stringify({ ...JOB, escrow: 0, spec_hash: "ab" }).replace('"escrow":0', `"escrow":${big}`);
    const { fetch } = mockFetch({ body: text }, { body: { ...JOB, escrow: -1 } }, { body: { ...JOB, client: "<script>" } }, { body: { items: new Array(501).fill(JOB), next_cursor: null } });
    const api = new IndexApi("http://i", { fetch });
    expect((await api.job(JOB.address)).escrow).toBe(BigInt(big));
    await expect(api.job(JOB.address)).rejects.toThrow("answer.escrow is not a non-negative integer");
    await expect(api.job(JOB.address)).rejects.toThrow("answer.client is not a base58 address");
    await expect(api.jobs()).rejects.toThrow("holds 501 items, more than 500");
  });

  it("quotes only the integer literals a double cannot hold, never inside strings", () => {
    expect(quoteBigIntegers('{"a":9007199254740993,"b":"9007199254740993","c":1.5e300,"d":-12,"e":[123456789012345678901]}'))
      .toBe('{"a":"9007199254740993","b":"9007199254740993","c":1.5e300,"d":-12,"e":["123456789012345678901"]}');
    expect(quoteBigIntegers('{"s":"say \\"99999999999999999999\\"","n":1}')).toBe('{"s":"say \\"99999999999999999999\\"","n":1}');
  });

  it("surfaces the server's message and parameter on a bad request", async () => {
    const { fetch } = mockFetch({ status: 400, body: { error: "limit: must be 1-500", parameter: "limit" } }, { status: 502, body: "upstream gone" });
    const api = new IndexApi("http://i", { fetch });
    const error = await api.jobs({ limit: 9999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexApiError);
    expect((error as IndexApiError).message).toBe("the index answered 400 for /jobs: limit: must be 1-500");
    expect((error as IndexApiError).status).toBe(400);
    expect((error as IndexApiError).parameter).toBe("limit");
    await expect(api.health()).rejects.toThrow("the index answered 502 for /health: upstream gone");
  });

  it("gives up after its timeout, and says so when it cannot reach the index", async () => {
    const hang = ((_: unknown, init?: RequestInit) => new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))))) as typeof fetch;
    await expect(new IndexApi("http://i", { fetch: hang, timeoutMs: 20 }).health()).rejects.toThrow("the index at http://i did not answer within 20 ms");
    const down = (async () => { throw new TypeError("fetch failed"); }) as unknown as typeof fetch;
    await expect(new IndexApi("http://i", { fetch: down }).health()).rejects.toThrow("cannot reach the index at http://i: fetch failed");
    expect(() => new IndexApi("javascript:alert(1)")).toThrow("must be http(s)");
  });

  it("follows next_cursor page after page, up to a bound", async () => {
    const { fetch, urls } = mockFetch(page([JOB, JOB], "c1"), page([JOB], "c2"), page([JOB], null));
    const api = new IndexApi("http://i", { fetch });
    const all = await collectPages((cursor) => api.jobs({ limit: 2, cursor }));
    expect(all.items).toHaveLength(4);
    expect(all.complete).toBe(true);
    expect(urls).toEqual(["http://i/jobs?limit=2", "http://i/jobs?limit=2&cursor=c1", "http://i/jobs?limit=2&cursor=c2"]);

    const more = mockFetch(page([JOB, JOB], "c1"), page([JOB, JOB], "c2"));
    const bounded = await collectPages((cursor) => new IndexApi("http://i", { fetch: more.fetch }).jobs({ cursor }), 3);
    expect(bounded.items).toHaveLength(3);
    expect(bounded.complete).toBe(false);
  });

  it("refuses a server that sends the same cursor again", async () => {
    const { fetch } = mockFetch(page([JOB], "same"), page([JOB], "same"));
    const api = new IndexApi("http://i", { fetch });
    const items: unknown[] = [];
    await expect((async () => {
      for await (const item of paginate((cursor) => api.jobs({ cursor }))) items.push(item);
    })()).rejects.toThrow("repeated the cursor");
    expect(items).toHaveLength(2);
  });
});
