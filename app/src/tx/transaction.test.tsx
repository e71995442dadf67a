import { IDL, MarketError, translateError } from "@compute-market/client";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { describeError } from "./transaction";
import { TxStatus } from "./TxStatus";

afterEach(cleanup);

describe("transaction errors in words", () => {
  const simulationFailed = (code: number) =>
    new Error(`Simulation failed. Message: Transaction simulation failed: Error processing Instruction 0: custom program error: 0x${code.toString(16)}.`);

  it("names the program's error from a failed simulation, by the IDL's numbering", () => {
    const error = translateError(simulationFailed(6009));
    expect(error).toBeInstanceOf(MarketError);
    expect(describeError(error)).toBe("MarketPaused: The market is paused: no new registrations, jobs or assignments");
    expect(describeError(translateError(simulationFailed(6050)))).toMatch(/^TakeBackTooEarly: /);
    for (const { code, name, msg } of IDL.errors ?? []) {
      expect(describeError(translateError(simulationFailed(code)))).toBe(`${name}: ${msg}`);
    }
  });

  it("says when the wallet declined, and passes other errors on", () => {
    const rejected = Object.assign(new Error("User rejected the request."), { code: 4001 });
    expect(describeError(rejected)).toBe("the wallet declined to sign (User rejected the request.)");
    const standard = Object.assign(new Error("The wallet declined"), { name: "WalletStandardError" });
    expect(describeError(standard)).toBe("the wallet declined to sign (The wallet declined)");
    expect(describeError(Object.assign(new Error("locked"), { name: "WalletStandardError" }))).toBe("wallet: locked");
    expect(describeError(new Error("Attempt to debit an account but found no record of a prior credit."))).toMatch(/^insufficient funds/);
    expect(describeError(new Error("fetch failed"))).toBe("fetch failed");
  });
});

describe("<TxStatus>", () => {
  it("shows nothing until a transaction starts, then its state", () => {
    const { container, rerender } = render(<TxStatus tx={{ state: "idle" }} />);
    expect(container.textContent).toBe("");
    rerender(<TxStatus tx={{ state: "pending", label: "Post job", signature: "5VfYkK3r9abc" }} />);
    expect(screen.getByRole("status").textContent).toBe("Post job: pending (5VfY…9abc)");
    rerender(<TxStatus tx={{ state: "failed", label: "Post job", message: "InvalidPrice: The price must be above zero" }} />);
    expect(screen.getByRole("status").dataset.state).toBe("failed");
    expect(screen.getByRole("status").textContent).toBe("Post job: failed: InvalidPrice: The price must be above zero");
  });
});
