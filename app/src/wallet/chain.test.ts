import { describe, expect, it } from "vitest";
import { clusterChain, signingChain, usableWallet } from "./chain";

describe("wallets and chains", () => {
  it("offers only wallets that sign Solana transactions", () => {
    expect(usableWallet({ features: ["standard:connect", "solana:signTransaction"], chains: ["solana:devnet"] })).toBe(true);
    expect(usableWallet({ features: ["standard:connect", "solana:signMessage"], chains: ["solana:devnet"] })).toBe(false);
    expect(usableWallet({ features: ["solana:signTransaction"], chains: ["ethereum:1"] })).toBe(false);
  });

  it("names the cluster's chain", () => {
    expect(clusterChain("localnet", "http://127.0.0.1:8899")).toBe("solana:localnet");
    expect(clusterChain("devnet", "https://api.devnet.solana.com")).toBe("solana:devnet");
    expect(clusterChain("custom", "https://my-rpc.testnet.example")).toBe("solana:testnet");
    expect(clusterChain("custom", "https://rpc.mainnet.example/key")).toBe("solana:mainnet");
    expect(clusterChain("custom", "not a url")).toBe("solana:localnet");
  });

  it("signs for the cluster's chain when the account has it, else for the account's first Solana chain", () => {
    expect(signingChain({ chains: ["solana:mainnet", "solana:localnet"] }, "solana:localnet")).toBe("solana:localnet");
    expect(signingChain({ chains: ["ethereum:1", "solana:mainnet", "solana:devnet"] }, "solana:localnet")).toBe("solana:mainnet");
    expect(signingChain({ chains: ["ethereum:1"] }, "solana:localnet")).toBeNull();
  });
});
