// SPL Token set-up for the token-job tests: a mint the test controls, and tokens minted to an owner's
// associated token account.
import { generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS, getCreateAssociatedTokenIdempotentInstruction, getInitializeMint2Instruction, getMintSize, getMintToInstruction,
} from "@solana-program/token";
import { MarketClient, associatedTokenAddress, sendInstructions } from "../src";
import type { Node } from "./localnet";

/** A new SPL Token mint with `decimals` decimals, `authority` its mint authority and no freeze authority. */
export async function createMint(node: Node, authority: KeyPairSigner, decimals: number): Promise<Address> {
  const mint = await generateKeyPairSigner();
  const space = BigInt(getMintSize());
  const rent = await node.rpc.getMinimumBalanceForRentExemption(space).send();
  await sendInstructions(node.rpc, authority, [
    getCreateAccountInstruction({ payer: authority, newAccount: mint, lamports: rent, space, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeMint2Instruction({ mint: mint.address, decimals, mintAuthority: authority.address, freezeAuthority: null }),
  ]);
  return mint.address;
}

/** Mints `amount` base units to `owner`'s associated token account (created if missing); returns that account. */
export async function mintTo(node: Node, authority: KeyPairSigner, mint: Address, owner: Address, amount: bigint): Promise<Address> {
  const ata = await associatedTokenAddress(owner, mint);
  await sendInstructions(node.rpc, authority, [
    getCreateAssociatedTokenIdempotentInstruction({ payer: authority, ata, owner, mint }),
    getMintToInstruction({ mint, token: ata, mintAuthority: authority, amount }),
  ]);
  return ata;
}

/** A 6-decimal mint the market accepts (one whole token counts as 1 SOL of reputation), and its minter. */
export async function acceptedMint(node: Node): Promise<{ mint: Address; minter: KeyPairSigner; treasury: Address }> {
  const minter = await node.fund(5);
  const mint = await createMint(node, minter, 6);
  const admin = new MarketClient(node.rpc, node.admin);
  const { treasury } = await admin.getMarket();
  await admin.send([await admin.addPaymentMint(mint, treasury, { acknowledgeFreezeAuthority: false, reputationLamportsPerToken: 1_000_000_000n })]);
  return { mint, minter, treasury };
}
