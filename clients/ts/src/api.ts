// A typed client of the index's REST API (docs/API.md): one method per endpoint, `fetch` with a timeout,
// the server's error message in the thrown error, and a pagination helper that follows `next_cursor`.
//
// Answers are untrusted: every one is checked against the documented shape (a mismatch throws
// IndexApiError naming the field) and lists are bounded. Amounts (lamports or token base units) are exact
// bigints: integers beyond 2^53 in the JSON text are kept as text before parsing, never rounded. Counts,
// slots and times are numbers. Field names are the API's own (snake_case).

/** The mint of lamport jobs (the default key). */
export const LAMPORT_MINT = "11111111111111111111111111111111";
/** Where `localnet` (and `make demo`) serve the index by default. */
export const LOCAL_INDEX_URL = "http://127.0.0.1:8901";

export const JOB_STATUSES = ["open", "assigned", "running", "submitted", "disputed", "completed", "expired", "resolved", "cancelled"] as const;
export type IndexJobStatus = (typeof JOB_STATUSES)[number];
export type Bucket = "hour" | "day";

// --- shapes ---

export interface IndexResources { cpu_cores: number; ram_gb: number; storage_gb: number; gpus: number }
export interface IndexRates { per_core: bigint; per_gb_ram: bigint; per_gb_storage: bigint; per_gpu: bigint }
export interface MintAmount { mint: string; amount: bigint }
export interface Page<T> { items: T[]; next_cursor: string | null }

export interface IndexHealth {
  status: "ok" | "catching_up" | "error";
  program: string;
  node_slot: number;
  indexed_slot: number;
  finalized_slot: number;
  lag_slots: number;
  caught_up_at: number | null;
  seconds_since_caught_up: number | null;
  transactions: number;
  events: number;
  last_error: string | null;
}

export interface IndexProvider {
  authority: string;
  account: string;
  capacity: IndexResources;
  free: IndexResources;
  rates: IndexRates;
  metadata_uri: string;
  assignment: number;
  active: boolean;
  retired: boolean;
  reputation: number;
  jobs_assigned: number;
  jobs_completed: number;
  jobs_failed: number;
  lamports_earned: bigint;
  registered_at: number;
  last_heartbeat_at: number;
}

export interface IndexJob {
  address: string;
  client: string;
  provider: string | null;
  job_id: number;
  mint: string;
  status: IndexJobStatus;
  outcome: string | null;
  requirements: IndexResources;
  duration_secs: number;
  max_price_per_hour: bigint;
  agreed_price_per_hour: bigint | null;
  escrow: bigint;
  min_reputation: number;
  /** The bond its provider must have free (in the job's currency), the share slashed if it fails the job, and what was slashed. */
  min_bond: bigint;
  slash_bps: number;
  bond_slashed: bigint;
  target_provider: string | null;
  spec_hash: string;
  fee_bps: number;
  provider_payout: bigint;
  fee: bigint;
  refund: bigint;
  rating: number | null;
  posted_at: number;
  assigned_at: number | null;
  started_at: number | null;
  submitted_at: number | null;
  settled_at: number | null;
  closed: boolean;
}

export interface IndexEvent {
  id: number | string;
  signature: string;
  instruction: number;
  slot: number;
  block_time: number | null;
  name: string;
  finalized: boolean;
  /** Every field of the program's event by its program name; big integers beyond 2^53 arrive as decimal text. */
  data: Record<string, unknown>;
}

export interface MarketTotalsPoint {
  mint: string;
  jobs_posted: number;
  jobs_assigned: number;
  jobs_completed: number;
  jobs_failed: number;
  jobs_cancelled: number;
  jobs_disputed: number;
  volume: bigint;
  fees: bigint;
  refunds: bigint;
}
export interface MarketPoint extends MarketTotalsPoint { bucket_start: number }

export interface IndexMarketStats {
  bucket: Bucket;
  from: number;
  to: number;
  totals: MarketTotalsPoint[];
  series: MarketPoint[];
  providers: { registered: number; active: number };
  clients: number;
}

export interface ProviderStatsPoint {
  bucket_start: number;
  jobs_completed: number;
  jobs_failed: number;
  completion_rate_bps: number | null;
  earnings: MintAmount[];
  busy_core_secs: number;
  utilisation_bps: number | null;
  heartbeats: number;
  up: boolean;
}

export interface IndexProviderStats {
  provider: IndexProvider;
  bucket: Bucket;
  from: number;
  to: number;
  totals: {
    jobs_completed: number;
    jobs_failed: number;
    completion_rate_bps: number | null;
    earnings: MintAmount[];
    busy_core_secs: number;
    utilisation_bps: number | null;
    /** The contract says an integer; null is accepted as "nothing to measure yet". */
    uptime_bps: number | null;
  };
  series: ProviderStatsPoint[];
}

export interface ClientStatsPoint {
  bucket_start: number;
  jobs_posted: number;
  jobs_completed: number;
  spent: MintAmount[];
  fees: MintAmount[];
  refunded: MintAmount[];
}

export interface IndexClientStats {
  client: {
    authority: string;
    profile: string;
    jobs_posted: number;
    jobs_completed: number;
    jobs_cancelled: number;
    jobs_expired: number;
    jobs_disputed: number;
    lamports_spent: bigint;
    registered_at: number;
  };
  bucket: Bucket;
  from: number;
  to: number;
  totals: { jobs_posted: number; jobs_completed: number; spent: MintAmount[]; fees: MintAmount[]; refunded: MintAmount[] };
  series: ClientStatsPoint[];
}

// --- queries ---

export interface PageQuery { limit?: number; cursor?: string | null }
export interface ProviderQuery extends PageQuery {
  active?: boolean;
  retired?: boolean;
  min_reputation?: number;
  min_cpu_cores?: number;
  min_ram_gb?: number;
  min_gpus?: number;
}
/** An address as base58 text (a kit `Address` is one). */
type Address = string;
export interface JobQuery extends PageQuery { client?: Address; provider?: Address; status?: IndexJobStatus; mint?: Address }
export interface EventQuery extends PageQuery { name?: string; job?: Address; client?: Address; provider?: Address }
export interface StatsQuery { bucket?: Bucket; from?: number; to?: number }
export interface MarketStatsQuery extends StatsQuery { mint?: Address }

// --- errors ---

/** A failed call: `status` is the HTTP status (0 when no answer came), `message` the server's own words when it gave them. */
export class IndexApiError extends Error {
  constructor(message: string, readonly status: number, readonly url: string, readonly parameter: string | null = null) {
    super(message);
    this.name = "IndexApiError";
  }
}

// --- exact JSON ---

/**
 * `text` with every integer literal outside strings that a double cannot hold exactly (beyond 2^53) written as a
 * string, so that JSON.parse keeps its every digit; the decoders read such strings as integers.
 */
export function quoteBigIntegers(text: string): string {
  let out = "";
  let last = 0;
  let i = 0;
  const digit = (c: number) => c >= 48 && c <= 57;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote (escapes included).
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else i++;
      }
    } else if (c === 45 || digit(c)) {
      let j = i + 1;
      while (j < text.length && digit(text.charCodeAt(j))) j++;
      if (/[.eE]/.test(text[j] ?? "")) {
        while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
      } else {
        const literal = text.slice(i, j);
        if (!Number.isSafeInteger(Number(literal))) {
          out += `${text.slice(last, i)}"${literal}"`;
          last = j;
        }
      }
      i = j;
    } else i++;
  }
  return out + text.slice(last);
}

// --- decoders: check an untrusted value against a shape ---

type Decoder<T> = (value: unknown, at: string) => T;

class ShapeError extends Error {}
const wrong = (at: string, what: string): never => {
  throw new ShapeError(`${at} ${what}`);
};

const MAX_TEXT = 8_192;
const str: Decoder<string> = (v, at) => (typeof v === "string" && v.length <= MAX_TEXT ? v : wrong(at, "is not a string (of at most 8192 characters)"));
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
const address: Decoder<string> = (v, at) => (typeof v === "string" && BASE58.test(v) ? v : wrong(at, "is not a base58 address"));
const signature: Decoder<string> = (v, at) => (typeof v === "string" && /^[1-9A-HJ-NP-Za-km-z]{32,100}$/.test(v) ? v : wrong(at, "is not a base58 signature"));
const hex: Decoder<string> = (v, at) => (typeof v === "string" && /^[0-9a-f]{0,128}$/.test(v) ? v : wrong(at, "is not hex"));
const bool: Decoder<boolean> = (v, at) => (typeof v === "boolean" ? v : wrong(at, "is not true or false"));
const DIGITS = /^\d{1,20}$/;
/** A non-negative integer (from a JSON number, or digits kept as text) as a bigint, exactly. */
const amount: Decoder<bigint> = (v, at) => {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && DIGITS.test(v)) return BigInt(v);
  return wrong(at, "is not a non-negative integer");
};
/** A non-negative integer as a number (a count, slot or time; exact up to 2^53). */
const count: Decoder<number> = (v, at) => Number(amount(v, at));
const bps: Decoder<number> = (v, at) => {
  const n = count(v, at);
  return n <= 10_000 ? n : wrong(at, "is above 10000 basis points");
};
const oneOf = <T extends string>(values: readonly T[]): Decoder<T> => (v, at) =>
  typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : wrong(at, `is not one of ${values.join(", ")}`);
const nullable = <T>(d: Decoder<T>): Decoder<T | null> => (v, at) => (v === null || v === undefined ? null : d(v, at));
const list = <T>(d: Decoder<T>, max: number): Decoder<T[]> => (v, at) => {
  if (!Array.isArray(v)) return wrong(at, "is not a list");
  if (v.length > max) return wrong(at, `holds ${v.length} items, more than ${max}`);
  return v.map((item, index) => d(item, `${at}[${index}]`));
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const record = <T>(fields: { [K in keyof T]: Decoder<T[K]> }): Decoder<T> => (v, at) => {
  if (!isObject(v)) return wrong(at, "is not an object");
  const out = {} as T;
  for (const key of Object.keys(fields) as (keyof T & string)[]) out[key] = fields[key](v[key], `${at}.${key}`);
  return out;
};
const anyObject: Decoder<Record<string, unknown>> = (v, at) => (isObject(v) ? v : wrong(at, "is not an object"));
const idValue: Decoder<number | string> = (v, at) => (typeof v === "number" && Number.isFinite(v) ? v : str(v, at));

/** At most this many currencies per amount list, and points per series (3,660 day buckets, 2,208 hour buckets). */
const MAX_MINTS = 64;
const MAX_POINTS = 3_661;
/** A page holds at most `limit` items, and `limit` is at most 500. */
export const MAX_PAGE = 500;

const resources = record<IndexResources>({ cpu_cores: count, ram_gb: count, storage_gb: count, gpus: count });
const rates = record<IndexRates>({ per_core: amount, per_gb_ram: amount, per_gb_storage: amount, per_gpu: amount });
const mintAmounts = list(record<MintAmount>({ mint: address, amount }), MAX_MINTS);
const page = <T>(item: Decoder<T>): Decoder<Page<T>> => record<Page<T>>({ items: list(item, MAX_PAGE), next_cursor: nullable(str) });

export const decodeHealth = record<IndexHealth>({
  status: oneOf(["ok", "catching_up", "error"] as const), program: address, node_slot: count, indexed_slot: count, finalized_slot: count,
  lag_slots: count, caught_up_at: nullable(count), seconds_since_caught_up: nullable(count), transactions: count, events: count,
  last_error: nullable(str),
});

export const decodeProvider = record<IndexProvider>({
  authority: address, account: address, capacity: resources, free: resources, rates, metadata_uri: str, assignment: count,
  active: bool, retired: bool, reputation: bps, jobs_assigned: count, jobs_completed: count, jobs_failed: count,
  lamports_earned: amount, registered_at: count, last_heartbeat_at: count,
});

export const decodeJob = record<IndexJob>({
  address, client: address, provider: nullable(address), job_id: count, mint: address, status: oneOf(JOB_STATUSES),
  outcome: nullable(str), requirements: resources, duration_secs: count, max_price_per_hour: amount,
  agreed_price_per_hour: nullable(amount), escrow: amount, min_reputation: bps, min_bond: amount, slash_bps: bps,
  bond_slashed: amount, target_provider: nullable(address),
  spec_hash: hex, fee_bps: bps, provider_payout: amount, fee: amount, refund: amount, rating: nullable(count), posted_at: count,
  assigned_at: nullable(count), started_at: nullable(count), submitted_at: nullable(count), settled_at: nullable(count), closed: bool,
});

export const decodeEvent = record<IndexEvent>({
  id: idValue, signature, instruction: count, slot: count, block_time: nullable(count), name: str, finalized: bool, data: anyObject,
});

const totalsFields = {
  mint: address, jobs_posted: count, jobs_assigned: count, jobs_completed: count, jobs_failed: count, jobs_cancelled: count,
  jobs_disputed: count, volume: amount, fees: amount, refunds: amount,
};
const bucket = oneOf(["hour", "day"] as const);

export const decodeMarketStats = record<IndexMarketStats>({
  bucket, from: count, to: count,
  totals: list(record<MarketTotalsPoint>(totalsFields), MAX_MINTS),
  series: list(record<MarketPoint>({ bucket_start: count, ...totalsFields }), MAX_POINTS * 8),
  providers: record({ registered: count, active: count }), clients: count,
});

export const decodeProviderStats = record<IndexProviderStats>({
  provider: decodeProvider, bucket, from: count, to: count,
  totals: record<IndexProviderStats["totals"]>({
    jobs_completed: count, jobs_failed: count, completion_rate_bps: nullable(bps), earnings: mintAmounts, busy_core_secs: count,
    utilisation_bps: nullable(bps), uptime_bps: nullable(bps),
  }),
  series: list(record<ProviderStatsPoint>({
    bucket_start: count, jobs_completed: count, jobs_failed: count, completion_rate_bps: nullable(bps), earnings: mintAmounts,
    busy_core_secs: count, utilisation_bps: nullable(bps), heartbeats: count, up: bool,
  }), MAX_POINTS),
});

export const decodeClientStats = record<IndexClientStats>({
  client: record<IndexClientStats["client"]>({
    authority: address, profile: address, jobs_posted: count, jobs_completed: count, jobs_cancelled: count, jobs_expired: count,
    jobs_disputed: count, lamports_spent: amount, registered_at: count,
  }),
  bucket, from: count, to: count,
  totals: record<IndexClientStats["totals"]>({ jobs_posted: count, jobs_completed: count, spent: mintAmounts, fees: mintAmounts, refunded: mintAmounts }),
  series: list(record<ClientStatsPoint>({
    bucket_start: count, jobs_posted: count, jobs_completed: count, spent: mintAmounts, fees: mintAmounts, refunded: mintAmounts,
  }), MAX_POINTS),
});

// --- the client ---

export interface IndexApiOptions {
  /** Milliseconds to wait for an answer (default 10 s). */
  timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** Answers larger than this are refused unread. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` for the given values, skipping absent ones; addresses as base58, booleans as true/false. */
export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

const segment = (value: Address) => encodeURIComponent(value);

export class IndexApi {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetcher: typeof fetch;

  constructor(baseUrl: string, options: IndexApiOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`the index API's URL must be http(s): ${baseUrl}`);
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** GETs `path` and checks the answer with `decode`; throws IndexApiError with the server's message. */
  async get<T>(path: string, decode: Decoder<T>, query?: Record<string, QueryValue>): Promise<T> {
    const url = `${this.baseUrl}${path}${queryString(query)}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let status = 0;
    let text: string;
    try {
      const response = await this.fetcher(url, { signal: controller.signal, headers: { accept: "application/json" } });
      status = response.status;
      const length = Number(response.headers?.get?.("content-length") ?? 0);
      if (length > MAX_ANSWER_BYTES) throw new IndexApiError(`the index answered ${length} bytes for ${url}, more than it may`, status, url);
      text = await response.text();
      if (text.length > MAX_ANSWER_BYTES) throw new IndexApiError(`the index answered ${text.length} bytes for ${url}, more than it may`, status, url);
      if (!response.ok) {
        let message = text.slice(0, 500);
        let parameter: string | null = null;
        try {
          const body = JSON.parse(text) as { error?: unknown; parameter?: unknown };
          if (typeof body.error === "string") message = body.error.slice(0, 500);
          if (typeof body.parameter === "string") parameter = body.parameter.slice(0, 100);
        } catch {
          // Not JSON: the text itself says what went wrong.
        }
        throw new IndexApiError(`the index answered ${response.status} for ${path}: ${message || response.statusText}`, response.status, url, parameter);
      }
    } catch (error) {
      if (error instanceof IndexApiError) throw error;
      const timedOut = controller.signal.aborted;
      throw new IndexApiError(
        timedOut ? `the index at ${this.baseUrl} did not answer within ${this.timeoutMs} ms` : `cannot reach the index at ${this.baseUrl}: ${(error as Error).message}`,
        status, url,
      );
    } finally {
      clearTimeout(timer);
    }
    let value: unknown;
    try {
      value = JSON.parse(quoteBigIntegers(text));
    } catch {
      throw new IndexApiError(`the index answered ${path} with something that is not JSON`, status, url);
    }
    try {
      return decode(value, "answer");
    } catch (error) {
      if (error instanceof ShapeError) throw new IndexApiError(`the index's answer to ${path} has an unexpected shape: ${error.message}`, status, url);
      throw error;
    }
  }

  health(): Promise<IndexHealth> {
    return this.get("/health", decodeHealth);
  }

  providers(query: ProviderQuery = {}): Promise<Page<IndexProvider>> {
    return this.get("/providers", page(decodeProvider), { ...query });
  }

  provider(authority: Address): Promise<IndexProvider> {
    return this.get(`/providers/${segment(authority)}`, decodeProvider);
  }

  jobs(query: JobQuery = {}): Promise<Page<IndexJob>> {
    return this.get("/jobs", page(decodeJob), { ...query });
  }

  job(address: Address): Promise<IndexJob> {
    return this.get(`/jobs/${segment(address)}`, decodeJob);
  }

  /** A job's timeline, oldest first. */
  jobEvents(address: Address, query: PageQuery = {}): Promise<Page<IndexEvent>> {
    return this.get(`/jobs/${segment(address)}/events`, page(decodeEvent), { ...query });
  }

  /** Events, newest first. */
  events(query: EventQuery = {}): Promise<Page<IndexEvent>> {
    return this.get("/events", page(decodeEvent), { ...query });
  }

  marketStats(query: MarketStatsQuery = {}): Promise<IndexMarketStats> {
    return this.get("/stats/market", decodeMarketStats, { ...query });
  }

  providerStats(authority: Address, query: StatsQuery = {}): Promise<IndexProviderStats> {
    return this.get(`/stats/providers/${segment(authority)}`, decodeProviderStats, { ...query });
  }

  clientStats(authority: Address, query: StatsQuery = {}): Promise<IndexClientStats> {
    return this.get(`/stats/clients/${segment(authority)}`, decodeClientStats, { ...query });
  }

  /** The value of `call`, or null when the index answers 404 (nothing indexed at that address). */
  static async orNull<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof IndexApiError && error.status === 404) return null;
      throw error;
    }
  }
}

/**
 * Every item of a paginated list, page after page (following `next_cursor`), stopping after `maxItems`.
 * `fetchPage` gets the cursor (undefined for the first page). A server repeating a cursor is an error.
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, maxItems = 10_000): AsyncGenerator<T> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  let yielded = 0;
  for (;;) {
    const { items, next_cursor } = await fetchPage(cursor);
    for (const item of items) {
      if (yielded >= maxItems) return;
      yielded++;
      yield item;
    }
    if (next_cursor === null || items.length === 0) return;
    if (seen.has(next_cursor)) throw new Error(`the index repeated the cursor ${next_cursor.slice(0, 40)}`);
    seen.add(next_cursor);
    cursor = next_cursor;
  }
}

/** All items of a paginated list, at most `maxItems`; `complete` is false when more were left. */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, maxItems = 10_000): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let more = false;
  for await (const item of paginate(fetchPage, maxItems + 1)) {
    if (items.length === maxItems) {
      more = true;
      break;
    }
    items.push(item);
  }
  return { items, complete: !more };
}

/** The amount of `mint` in a list of per-currency amounts (0 when absent). */
export const amountOf = (amounts: MintAmount[], mint = LAMPORT_MINT): bigint => amounts.filter((a) => a.mint === mint).reduce((sum, a) => sum + a.amount, 0n);
