// Starts the project's local node (the `localnet` binary) on free ports for a test file.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import {
  address, createKeyPairSignerFromBytes, createKeyPairSignerFromPrivateKeyBytes, createSolanaRpc, createSolanaRpcSubscriptions, getAddressEncoder, lamports,
  type Address, type KeyPairSigner, type Rpc, type RpcSubscriptions, type SolanaRpcApi, type SolanaRpcSubscriptionsApi,
} from "@solana/kit";
import { confirmSignature } from "../src";

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
  rpc: Rpc<SolanaRpcApi>;
  rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>;
  rpcUrl: string;
  wsUrl: string;
  /** The folder with the market's keypairs (admin.json, treasury.json, matcher.json). */
  keys: string;
  admin: KeyPairSigner;
  treasury: KeyPairSigner;
  usesArtifact: boolean;
  /** The index's REST API the node started (null when it runs without one, `--no-index`). */
  apiUrl: string | null;
  stop(): void;
  /** A new keypair holding `sol` SOL. */
  fund(sol: number): Promise<KeyPairSigner>;
  /** The 64-byte secret key (seed and public key, as keypair files hold it) of a keypair `fund` made. */
  secretKey(signer: KeyPairSigner): Uint8Array;
}

export const LAMPORTS_PER_SOL = 1_000_000_000;

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
  const rpcClient = createSolanaRpc(`http://127.0.0.1:${rpc}`);
  const secrets = new Map<Address, Uint8Array>();
  const fund = async (sol: number) => {
    const seed = randomBytes(32);
    const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
    secrets.set(signer.address, Uint8Array.from([...seed, ...getAddressEncoder().encode(signer.address)]));
    await airdrop(rpcClient, signer.address, sol);
    return signer;
  };
  const secretKey = (signer: KeyPairSigner) => {
    const secret = secrets.get(signer.address);
    if (!secret) throw new Error(`no secret key kept for ${signer.address}`);
    return secret;
  };
  return {
    rpc: rpcClient, rpcSubscriptions: createSolanaRpcSubscriptions(`ws://127.0.0.1:${ws}`), rpcUrl: `http://127.0.0.1:${rpc}`, wsUrl: `ws://127.0.0.1:${ws}`,
    keys, admin: await readKeypair(join(keys, "admin.json")), treasury: await readKeypair(join(keys, "treasury.json")), fund, secretKey,
    usesArtifact: output.includes("sBPF artifact"),
    apiUrl: /index API: (http\S+)/.exec(output)?.[1] ?? null,
    stop: () => child.kill("SIGKILL"),
  };
}

/** A keypair file (a JSON array of its 64 secret-key bytes) as a signer. */
export async function readKeypair(path: string): Promise<KeyPairSigner> {
  return createKeyPairSignerFromBytes(Uint8Array.from(JSON.parse(readFileSync(path, "utf8"))));
}

export async function airdrop(rpc: Rpc<SolanaRpcApi>, to: Address, sol: number): Promise<void> {
  const signature = await rpc.requestAirdrop(to, lamports(BigInt(sol * LAMPORTS_PER_SOL)), { commitment: "confirmed" }).send();
  const { value } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  await confirmSignature(rpc, signature, value.lastValidBlockHeight);
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

/** The node's clock (the Clock sysvar's unix_timestamp), which programs read: what deadlines are measured against. */
export async function chainTime(node: Node): Promise<bigint> {
  const clock = address("SysvarC1ock11111111111111111111111111111111");
  const { value } = await node.rpc.getAccountInfo(clock, { commitment: "confirmed", encoding: "base64" }).send();
  if (!value) throw new Error("the node has no Clock sysvar");
  // slot u64, epoch_start_timestamp i64, epoch u64, leader_schedule_epoch u64, then unix_timestamp i64.
  return Buffer.from(value.data[0], "base64").readBigInt64LE(32);
}

/**
 * Moves the node's clock `secs` seconds ahead (Surfpool's time-travel cheat code, as cli/tests use it), and waits
 * until the Clock sysvar shows it. The node is this test file's own, so no other file sees the jump.
 */
export async function timeTravel(node: Node, secs: number): Promise<void> {
  const target = (await chainTime(node)) + BigInt(secs);
  const response = await fetch(node.rpcUrl, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "surfnet_timeTravel", params: [{ absoluteTimestamp: Number(target) * 1_000 }] }),
  });
  const answer = (await response.json()) as { error?: { message: string } };
  if (answer.error) throw new Error(`surfnet_timeTravel: ${answer.error.message}`);
  for (let tries = 0; (await chainTime(node)) < target; tries++) {
    if (tries > 100) throw new Error(`the node's clock did not reach ${target}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { freePort };
