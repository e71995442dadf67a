// The committed IDL (idl/compute_market.json at the repository root) and the constants it exports.
import { PublicKey } from "@solana/web3.js";
import type { Idl } from "@anchor-lang/core";
import idlJson from "../idl/compute_market.json";

export const IDL = idlJson as unknown as Idl;
export const PROGRAM_ID = new PublicKey(idlJson.address);

function constant(name: string): number {
  const found = idlJson.constants.find((c) => c.name === name);
  if (!found) throw new Error(`the IDL has no constant ${name}`);
  return Number(found.value);
}

export const JOB_CLIENT_OFFSET = constant("JOB_CLIENT_OFFSET");
export const JOB_PROVIDER_OFFSET = constant("JOB_PROVIDER_OFFSET");
export const JOB_STATUS_OFFSET = constant("JOB_STATUS_OFFSET");
export const PROVIDER_ACTIVE_OFFSET = constant("PROVIDER_ACTIVE_OFFSET");
export const PROVIDER_AUTHORITY_OFFSET = constant("PROVIDER_AUTHORITY_OFFSET");
