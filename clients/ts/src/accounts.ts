// Reading program accounts: every account of a type (by its discriminator) with memcmp filters, decoded by the
// generated decoders, and one account by address.
import {
  fetchEncodedAccount, getBase64Encoder, type Address, type Decoder, type GetProgramAccountsMemcmpFilter, type ReadonlyUint8Array,
} from "@solana/kit";
import { memcmp } from "./filters";
import { PROGRAM_ID } from "./idl";
import type { MarketRpc } from "./send";
import type { Keyed } from "./types";

/** Every account of the program whose data starts with `discriminator` and matches `filters`, decoded. */
export async function programAccounts<T extends object>(
  rpc: MarketRpc, discriminator: ReadonlyUint8Array, decoder: Decoder<T>, filters: GetProgramAccountsMemcmpFilter[] = [],
): Promise<Keyed<T>[]> {
  const found = await rpc
    .getProgramAccounts(PROGRAM_ID, { commitment: "confirmed", encoding: "base64", filters: [memcmp(0, discriminator), ...filters] })
    .send();
  const bytes = getBase64Encoder();
  return found.map(({ pubkey, account }) => ({ address: pubkey, account: decoder.decode(bytes.encode(account.data[0])) }));
}

/** The account at `address` decoded, or null when it does not exist. */
export async function accountOrNull<T extends object>(rpc: MarketRpc, address: Address, decoder: Decoder<T>): Promise<T | null> {
  const account = await fetchEncodedAccount(rpc, address, { commitment: "confirmed" });
  return account.exists ? decoder.decode(account.data) : null;
}

/** The account at `address` decoded; throws when it does not exist. */
export async function accountAt<T extends object>(rpc: MarketRpc, address: Address, decoder: Decoder<T>, what: string): Promise<T> {
  const account = await accountOrNull(rpc, address, decoder);
  if (!account) throw new Error(`no ${what} account at ${address}`);
  return account;
}
