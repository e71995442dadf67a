// Program events: decoded from a transaction's "Program data:" logs with the generated codecs (each event's
// 8-byte discriminator picks its decoder), or followed live through a logs subscription. Event data keeps the
// IDL's field names (snake_case), as the index and the dApp's history read them: addresses as base58 strings,
// u64/i64 as bigint, enum variants as `{ Variant: {} }`, options as the value or null, byte arrays as number[].
import { getBase64Encoder, type Address, type ReadonlyUint8Array } from "@solana/kit";
import { EVENTS } from "./generated/events";
import idlJson from "../idl/compute_market.json";
import { PROGRAM_ID } from "./idl";
import type { MarketRpcSubscriptions } from "./send";

export interface MarketEvent {
  name: string;
  data: Record<string, unknown>;
}

type IdlType = string | { option?: IdlType; vec?: IdlType; array?: [IdlType, number]; defined?: { name: string } };
interface IdlTypeDef { name: string; type: { kind: string; fields?: { name: string; type: IdlType }[]; variants?: { name: string }[] } }

const TYPES = new Map((idlJson.types as IdlTypeDef[]).map((t) => [t.name, t]));
/** The generated codecs' field names: the IDL's in camelCase. */
const camel = (name: string) => name.replace(/^_+/, "").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A value from the generated decoder, in the IDL's shape. */
function idlShaped(value: unknown, type: IdlType): unknown {
  if (typeof type === "string") return value instanceof Uint8Array ? Array.from(value) : value;
  if (type.option !== undefined) {
    const option = value as { __option: "Some" | "None"; value?: unknown };
    return option.__option === "Some" ? idlShaped(option.value, type.option) : null;
  }
  if (type.array !== undefined || type.vec !== undefined) {
    const item = (type.array?.[0] ?? type.vec) as IdlType;
    return Array.from(value as ArrayLike<unknown>, (v) => idlShaped(v, item));
  }
  const defined = TYPES.get(type.defined!.name);
  if (!defined) throw new Error(`the IDL has no type ${type.defined!.name}`);
  if (defined.type.kind === "enum") return { [defined.type.variants![value as number].name]: {} };
  return structShaped(value as Record<string, unknown>, defined);
}

function structShaped(value: Record<string, unknown>, def: IdlTypeDef): Record<string, unknown> {
  return Object.fromEntries((def.type.fields ?? []).map((f) => [f.name, idlShaped(value[camel(f.name)], f.type)]));
}

const sameBytes = (a: ReadonlyUint8Array, b: ReadonlyUint8Array) => a.length >= b.length && b.every((x, i) => a[i] === x);

/** One event from the bytes of a "Program data:" line, or null if it is none of the program's events. */
export function decodeEventData(bytes: ReadonlyUint8Array): MarketEvent | null {
  for (const [name, entry] of Object.entries(EVENTS)) {
    if (!sameBytes(bytes, entry.discriminator)) continue;
    return { name, data: structShaped(entry.decoder.decode(bytes) as Record<string, unknown>, TYPES.get(name)!) };
  }
  return null;
}

const INVOKE = /^Program (\w+) invoke \[\d+\]$/;
const DONE = /^Program (\w+) (success|failed)/;

/** The program's events in a transaction's logs, in order (data logged by other programs it calls is not its). */
export function decodeEvents(logs: readonly string[]): MarketEvent[] {
  const stack: string[] = [];
  const events: MarketEvent[] = [];
  for (const line of logs) {
    const invoked = INVOKE.exec(line);
    if (invoked) stack.push(invoked[1]);
    else if (DONE.test(line)) stack.pop();
    else if (line.startsWith("Program data: ") && stack[stack.length - 1] === PROGRAM_ID) {
      const event = decodeEventData(getBase64Encoder().encode(line.slice("Program data: ".length).trim()));
      if (event) events.push(event);
    }
  }
  return events;
}

/** A subscription's stop function; `ready` resolves once the node confirmed the subscription. */
export type Unsubscribe = (() => Promise<void>) & { ready: Promise<void> };

/** Calls `onEvent` for each event the program emits from now on (at `confirmed`); returns the stop function. */
export function subscribeEvents(rpcSubscriptions: MarketRpcSubscriptions, onEvent: (event: MarketEvent, signature: string) => void): Unsubscribe {
  const abort = new AbortController();
  const ready = rpcSubscriptions
    .logsNotifications({ mentions: [PROGRAM_ID as Address] }, { commitment: "confirmed" })
    .subscribe({ abortSignal: abort.signal });
  // A subscription that fails (the connection drops) reports it when stopped, not as an unhandled rejection.
  let failure: unknown = null;
  const done = ready.then(async (notifications) => {
    for await (const { value } of notifications) {
      if (value.err) continue;
      for (const event of decodeEvents(value.logs)) onEvent(event, value.signature);
    }
  }).catch((error: unknown) => {
    if (!abort.signal.aborted) failure = error;
  });
  const stop = async () => {
    abort.abort();
    await done;
    if (failure) throw failure;
  };
  return Object.assign(stop, { ready: ready.then(() => undefined) });
}
