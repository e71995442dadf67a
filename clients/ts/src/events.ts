// Program events: decoded from a transaction's logs, or followed live through a logs subscription.
import { BorshCoder, EventParser, type Event } from "@anchor-lang/core";
import type { Connection, Logs } from "@solana/web3.js";
import { IDL, PROGRAM_ID } from "./idl";

const parser = new EventParser(PROGRAM_ID, new BorshCoder(IDL));

export type MarketEvent = Event;

/** The program's events in a transaction's logs, in order. */
export function decodeEvents(logs: string[]): MarketEvent[] {
  return [...parser.parseLogs(logs)];
}

/** Calls `onEvent` for each event the program emits from now on; returns the unsubscribe function. */
export function subscribeEvents(connection: Connection, onEvent: (event: MarketEvent, signature: string) => void): () => Promise<void> {
  const id = connection.onLogs(PROGRAM_ID, (logs: Logs) => {
    if (logs.err) return;
    for (const event of decodeEvents(logs.logs)) onEvent(event, logs.signature);
  }, "confirmed");
  return () => connection.removeOnLogsListener(id);
}
