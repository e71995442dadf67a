// The off-chain services around the program: the job spec (schema version 1) whose sha256 goes on chain,
// the matcher's explanations of jobs it leaves open, and the result bundles provider agents serve,
// checked against the on-chain result hash before use. Works in Node 20+ and browsers (fetch, WebCrypto).
import type { Address } from "@solana/kit";

/** A job spec, schema version 1 (see clients/rust/src/spec.rs for the field rules). */
export interface JobSpec {
  version: 1;
  command: string[];
  env?: Record<string, string>;
  inputs?: { path: string; text?: string; base64?: string }[];
  outputs?: string[];
  image?: string;
  /** Ask for outbound network; the provider's policy decides, the host's loopback is never reachable. */
  network?: boolean;
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
  /** The limit that ended the job: "duration", "memory", "processes" or "storage". */
  limit_exceeded?: string;
  /** Outputs the agent would not collect (links, FIFOs, devices, files past the budget), with why. */
  refused?: { path: string; reason: string }[];
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
export async function fetchExplanation(job: Address, matcherUrl = LOCAL_MATCHER_URL): Promise<Explanation | null> {
  const response = await fetch(`${matcherUrl.replace(/\/$/, "")}/jobs/${job}/why`);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`the matcher answered ${response.status}`);
  return (await response.json()) as Explanation;
}

/** Where a provider serves a job's bundle; a fragment on the metadata URI (`#unisolated`) is not part of the address. */
export const resultUrl = (providerEndpoint: string, job: Address) => `${providerEndpoint.split("#")[0].replace(/\/$/, "")}/jobs/${job}/result`;

/** Downloads a job's bundle from its provider's endpoint (its metadata URI) and refuses it unless its
 *  sha256 is the job's on-chain result hash. */
export async function fetchResultBundle(providerEndpoint: string, job: Address, resultHash: ArrayLike<number>): Promise<ResultBundle> {
  const response = await fetch(resultUrl(providerEndpoint, job));
  if (!response.ok) throw new Error(`the provider answered ${response.status} for the result of ${job}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const actual = toHex(await sha256(bytes));
  const expected = toHex(Uint8Array.from(resultHash));
  if (actual !== expected) {
    throw new Error(`the bundle's sha256 is ${actual}, the job's on-chain result hash is ${expected}; not using it`);
  }
  const bundle = JSON.parse(new TextDecoder().decode(bytes)) as ResultBundle;
  if (bundle.job !== job) throw new Error(`the bundle is for job ${bundle.job}, not ${job}`);
  return bundle;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A path inside the job's working directory: relative, without `..`, not empty (as the agent requires). */
function insideWorkdir(path: string): boolean {
  return path !== "" && !path.startsWith("/") && path.split("/").every((part) => part !== "..");
}

/**
 * Parses and checks a spec as the provider agent will (clients/rust/src/spec.rs): version 1, a command, valid
 * environment names, input and output paths inside the working directory, one of text/base64 per input.
 * Returns the spec, or throws an Error saying what is wrong.
 */
export function parseSpec(text: string): JobSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the job spec is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("the job spec must be a JSON object");
  const spec = value as Record<string, unknown>;
  const known = ["version", "command", "env", "inputs", "outputs", "image", "network"];
  const unknown = Object.keys(spec).find((key) => !known.includes(key));
  if (unknown) throw new Error(`the job spec has an unknown field \`${unknown}\``);
  if (spec.version !== 1) throw new Error(`job spec version ${String(spec.version)} is not supported (version 1 is)`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!strings(spec.command) || (spec.command as string[]).length === 0 || (spec.command as string[])[0] === "") {
    throw new Error("the job spec's command is empty");
  }
  if (spec.env !== undefined) {
    if (typeof spec.env !== "object" || spec.env === null || Array.isArray(spec.env)) throw new Error("the job spec's env must be an object");
    for (const [key, val] of Object.entries(spec.env)) {
      if (!ENV_NAME.test(key)) throw new Error(`\`${key}\` is not an environment variable name`);
      if (typeof val !== "string") throw new Error(`environment variable ${key} must be a string`);
    }
  }
  for (const input of (spec.inputs as unknown[] | undefined) ?? []) {
    const file = input as { path?: unknown; text?: unknown; base64?: unknown };
    if (typeof file.path !== "string" || !insideWorkdir(file.path)) throw new Error(`\`${String(file.path)}\` is not a path inside the job's working directory`);
    if ((file.text === undefined) === (file.base64 === undefined)) throw new Error(`input ${file.path}: give exactly one of \`text\` and \`base64\``);
  }
  if (spec.outputs !== undefined && !strings(spec.outputs)) throw new Error("the job spec's outputs must be a list of paths");
  for (const output of (spec.outputs as string[] | undefined) ?? []) {
    if (!insideWorkdir(output)) throw new Error(`\`${output}\` is not a path inside the job's working directory`);
  }
  if (spec.image !== undefined && (typeof spec.image !== "string" || spec.image === "")) throw new Error("the job spec's image is empty");
  if (spec.network !== undefined && typeof spec.network !== "boolean") throw new Error("the job spec's network must be true or false");
  return spec as unknown as JobSpec;
}

/** A sha256 written as 64 hex digits, as the 32 bytes the program stores; an all-zero hash is refused (InvalidHash). */
export function parseHash(text: string): number[] {
  const hex = text.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error("a sha256 is 64 hex digits");
  const bytes = Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  if (bytes.every((b) => b === 0)) throw new Error("an all-zero hash is not a result");
  return bytes;
}
