// The off-chain services around the program: the job spec (schema version 1) whose sha256 goes on chain,
// the matcher's explanations of jobs it leaves open, and the result bundles provider agents serve,
// checked against the on-chain result hash before use. Works in Node 20+ and browsers (fetch, WebCrypto).
import type { PublicKey } from "@solana/web3.js";

/** A job spec, schema version 1 (see clients/rust/src/spec.rs for the field rules). */
export interface JobSpec {
  version: 1;
  command: string[];
  env?: Record<string, string>;
  inputs?: { path: string; text?: string; base64?: string }[];
  outputs?: string[];
  image?: string;
}

/** A result bundle, version 1, as a provider's agent serves it. */
export interface ResultBundle {
  version: number;
  job: string;
  exit_code: number | null;
  timed_out: boolean;
  runtime_ms: number;
  stdout: string;
  stderr: string;
  files: { path: string; sha256: string; base64: string }[];
  missing: string[];
}

export interface Explanation {
  job: string;
  reason: string;
  /** Unix time of the matcher's round. */
  checked_at: number;
}

/** Where `cmkt matcher run` and `localnet --demo` serve explanations by default. */
export const LOCAL_MATCHER_URL = "http://127.0.0.1:8901";

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes as BufferSource));
}

export const toHex = (bytes: Uint8Array | number[]) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** A spec's bytes (compact JSON), its on-chain hash, and an inline data: URI for it. */
export async function encodeSpec(spec: JobSpec): Promise<{ bytes: Uint8Array; hash: number[]; dataUri: string }> {
  const json = JSON.stringify(spec);
  const bytes = new TextEncoder().encode(json);
  const base64 = btoa(String.fromCharCode(...bytes));
  return { bytes, hash: [...(await sha256(bytes))], dataUri: `data:application/json;base64,${base64}` };
}

/** The matcher's explanation of why `job` is still open, or null if its last round did not leave it open. */
export async function fetchExplanation(job: PublicKey, matcherUrl = LOCAL_MATCHER_URL): Promise<Explanation | null> {
  const response = await fetch(`${matcherUrl.replace(/\/$/, "")}/jobs/${job.toBase58()}/why`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`the matcher answered ${response.status}`);
  return (await response.json()) as Explanation;
}

export const resultUrl = (providerEndpoint: string, job: PublicKey) => `${providerEndpoint.replace(/\/$/, "")}/jobs/${job.toBase58()}/result`;

/** Downloads a job's bundle from its provider's endpoint (its metadata URI) and refuses it unless its
 *  sha256 is the job's on-chain result hash. */
export async function fetchResultBundle(providerEndpoint: string, job: PublicKey, resultHash: number[] | Uint8Array): Promise<ResultBundle> {
  const response = await fetch(resultUrl(providerEndpoint, job));
  if (!response.ok) throw new Error(`the provider answered ${response.status} for the result of ${job.toBase58()}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = toHex(await sha256(bytes));
  const expected = toHex(Uint8Array.from(resultHash));
  if (actual !== expected) {
    throw new Error(`the bundle's sha256 is ${actual}, the job's on-chain result hash is ${expected}; not using it`);
  }
  const bundle = JSON.parse(new TextDecoder().decode(bytes)) as ResultBundle;
  if (bundle.job !== job.toBase58()) throw new Error(`the bundle is for job ${bundle.job}, not ${job.toBase58()}`);
  return bundle;
}
