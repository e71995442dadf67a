import { shortAddress } from "../lib/format";
import type { TxState } from "./transaction";

const WORDS = { checking: "preparing", signing: "waiting for the wallet's signature", pending: "pending", confirmed: "confirmed", failed: "failed" };

/** One line saying where a transaction is: pending, confirmed or failed (with the reason). */
export function TxStatus({ tx }: { tx: TxState }) {
  if (tx.state === "idle") return null;
  return (
    <p className={`tx tx-${tx.state}`} role="status" data-state={tx.state}>
      <strong>{tx.label}:</strong> {WORDS[tx.state]}
      {"signature" in tx && <span className="mono"> ({shortAddress(tx.signature)})</span>}
      {tx.state === "failed" && <span>: {tx.message}</span>}
    </p>
  );
}
