// Runs one transaction at a time for a screen: build its instructions, have the wallet sign, send, confirm,
// and keep its state for <TxStatus>.
import type { Instruction } from "@solana/kit";
import { useCallback, useState } from "react";
import { useMarket } from "../market/MarketContext";
import { describeError, type TxState } from "./transaction";

export function useTransaction() {
  const { client, me, reload } = useMarket();
  const [tx, setTx] = useState<TxState>({ state: "idle" });

  /** Sends what `build` returns under `label`; resolves to the signature, or null when it failed (and says why). */
  const run = useCallback(
    async (label: string, build: () => Promise<Instruction[]> | Instruction[]): Promise<string | null> => {
      if (!me) {
        setTx({ state: "failed", label, message: "connect a wallet first" });
        return null;
      }
      setTx({ state: "checking", label });
      try {
        const instructions = await build();
        const signature = await client.send(instructions, (stage) =>
          setTx(stage.stage === "signing" ? { state: "signing", label } : { state: "pending", label, signature: stage.signature }),
        );
        setTx({ state: "confirmed", label, signature });
        reload();
        return signature;
      } catch (error) {
        setTx({ state: "failed", label, message: describeError(error) });
        return null;
      }
    },
    [client, me, reload],
  );

  const fail = useCallback((label: string, message: string) => setTx({ state: "failed", label, message }), []);
  return { tx, run, fail, busy: tx.state === "checking" || tx.state === "signing" || tx.state === "pending" };
}
