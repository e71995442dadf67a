// Starts the project's local node (the `localnet` binary) on free ports for a test file.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";

/** The repository root: the nearest folder above this file holding Anchor.toml (wherever this file is compiled to). */
function findRepo(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "Anchor.toml"))) return dir;
  }
  throw new Error(`no Anchor.toml above ${from}`);
}

export const repo = findRepo(__dirname);

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
    server.on("error", fail);
  });
}

export interface Node {
  connection: Connection;
  rpcUrl: string;
  wsUrl: string;
  /** The folder with the market's keypairs (admin.json, treasury.json, matcher.json). */
  keys: string;
  admin: Keypair;
  treasury: Keypair;
  usesArtifact: boolean;
  /** The index's REST API the node started (null when it runs without one, `--no-index`). */
  apiUrl: string | null;
  stop(): void;
  fund(sol: number): Promise<Keypair>;
}

/** Starts `localnet` on free ports (its index API too); `extraArgs` go to it as well (e.g. `--app`). */
export async function startNode(extraArgs: string[] = []): Promise<Node> {
  const bin = process.env.LOCALNET_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug", "localnet");
  const keys = mkdtempSync(join(tmpdir(), "cm-ts-"));
  const [rpc, ws] = [await freePort(), await freePort()];
  const api = extraArgs.includes("--api-port") || extraArgs.includes("--no-index") ? [] : ["--api-port", String(await freePort())];
  const child: ChildProcess = spawn(bin, [
    "--rpc-port", String(rpc), "--ws-port", String(ws), "--keys", keys,
    "--program", join(repo, "target/deploy/compute_market.so"), ...api, ...extraArgs,
  ], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  await new Promise<void>((ready, fail) => {
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("JSON-RPC")) ready();
    });
    child.on("exit", (code) => fail(new Error(`localnet exited (${code}): ${output}`)));
    child.on("error", (error) => fail(new Error(`cannot run ${bin}: ${error.message}`)));
  });
  const read = (name: string) => Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(join(keys, name), "utf8"))));
  const connection = new Connection(`http://127.0.0.1:${rpc}`, { commitment: "confirmed", wsEndpoint: `ws://127.0.0.1:${ws}` });
  const fund = async (sol: number) => {
    const keypair = Keypair.generate();
    await airdrop(connection, keypair.publicKey, sol);
    return keypair;
  };
  return {
    connection, rpcUrl: `http://127.0.0.1:${rpc}`, wsUrl: `ws://127.0.0.1:${ws}`, keys, admin: read("admin.json"), treasury: read("treasury.json"), fund,
    usesArtifact: output.includes("sBPF artifact"),
    apiUrl: /index API: (http\S+)/.exec(output)?.[1] ?? null,
    stop: () => child.kill("SIGKILL"),
  };
}

export async function airdrop(connection: Connection, to: PublicKey, sol: number): Promise<void> {
  const signature = await connection.requestAirdrop(to, sol * LAMPORTS_PER_SOL);
  await connection.confirmTransaction({ signature, ...(await connection.getLatestBlockhash()) }, "confirmed");
}

/** Runs `cmkt <args>` (agent or matcher) against the node until `stop()`; resolves once it printed `ready`. */
export async function startService(node: Node, keypair: string, args: string[], ready: string): Promise<{ stop(): void; output(): string }> {
  const bin = process.env.CMKT_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug", "cmkt");
  const child = spawn(bin, ["--url", node.rpcUrl, "--keypair", keypair, ...args, "--ws-url", node.wsUrl], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((done, fail) => {
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(ready)) done();
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.on("exit", (code) => fail(new Error(`cmkt exited (${code}): ${output}`)));
    child.on("error", (error) => fail(new Error(`cannot run ${bin}: ${error.message}`)));
  });
  return { stop: () => child.kill("SIGKILL"), output: () => output };
}

export { freePort };
