import { describe, expect, it } from "vitest";
import { hostedSpec, inlineSpec } from "./specSource";

const spec = '{"version":1,"command":["sh","-c","date > out.txt"],"outputs":["out.txt"]}';

describe("spec sources", () => {
  it("sends a small spec inline with the sha256 of its compact bytes", async () => {
    const ref = await inlineSpec(spec);
    expect(ref.specUri.startsWith("data:application/json;base64,")).toBe(true);
    const bytes = new TextEncoder().encode(JSON.stringify(JSON.parse(spec)));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    expect(ref.specHash).toEqual([...digest]);
    expect(atob(ref.specUri.split(",")[1])).toBe(JSON.stringify(JSON.parse(spec)));
  });

  it("refuses specs the agent would refuse, and ones too long to inline", async () => {
    await expect(inlineSpec('{"version":2,"command":["x"]}')).rejects.toThrow("job spec version 2 is not supported");
    await expect(inlineSpec('{"version":1,"command":[]}')).rejects.toThrow("the job spec's command is empty");
    await expect(inlineSpec('{"version":1,"command":["x"],"outputs":["../etc"]}')).rejects.toThrow("is not a path inside the job's working directory");
    await expect(inlineSpec('{"version":1,"command":["x"],"env":{"1X":"y"}}')).rejects.toThrow("`1X` is not an environment variable name");
    await expect(inlineSpec('{"version":1,"command":["x"],"extra":1}')).rejects.toThrow("unknown field `extra`");
    await expect(inlineSpec("{")).rejects.toThrow("not valid JSON");
    const long = JSON.stringify({ version: 1, command: ["echo", "x".repeat(150)] });
    await expect(inlineSpec(long)).rejects.toThrow(/as a data: URI and the job's URI holds 200: host it/);
  });

  it("hashes the exact bytes a hosted spec serves", async () => {
    const served = '{ "version": 1, "command": ["true"] }';
    const fetcher = (async () => new Response(served)) as typeof fetch;
    const ref = await hostedSpec("http://files.example/spec.json", fetcher);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(served)));
    expect(ref).toEqual({ specUri: "http://files.example/spec.json", specHash: [...digest] });
    const missing = (async () => new Response("", { status: 404 })) as typeof fetch;
    await expect(hostedSpec("http://files.example/x", missing)).rejects.toThrow("cannot fetch the spec from http://files.example/x: it answered 404");
    await expect(hostedSpec("file:///etc/passwd", fetcher)).rejects.toThrow("must start with http");
  });
});
