// Decoded accounts, as Anchor's coder returns them from the IDL (fields in camelCase, u64 as BN).
import type { BN } from "@anchor-lang/core";
import type { PublicKey } from "@solana/web3.js";

/** JobStatus, stored as its u8 discriminant in `Job.status`. */
export enum JobStatus {
  Open = 0,
  Assigned = 1,
  Running = 2,
  Submitted = 3,
  Disputed = 4,
  Completed = 5,
  Expired = 6,
  Resolved = 7,
}

export interface Resources {
  ramGb: number;
  storageGb: number;
  cpuCores: number;
  gpus: number;
}

export interface Rates {
  perCore: BN;
  perGbRam: BN;
  perGbStorage: BN;
  perGpu: BN;
}

export interface StoredUri {
  len: number;
  bytes: number[];
}

export interface MarketStats {
  providers: BN;
  clients: BN;
  jobsPosted: BN;
  jobsCompleted: BN;
  jobsCancelled: BN;
  jobsExpired: BN;
  jobsDisputed: BN;
  volumeLamports: BN;
  feesCollected: BN;
}

export interface Market {
  admin: PublicKey;
  treasury: PublicKey;
  matcher: PublicKey;
  pendingAdmin: PublicKey;
  stats: MarketStats;
  windows: { startWindowSecs: number; reviewWindowSecs: number; graceSecs: number; disputeWindowSecs: number };
  feeBps: number;
  paused: number;
}

export interface Provider {
  authority: PublicKey;
  jobsCompleted: BN;
  jobsFailed: BN;
  disputesLost: BN;
  ratingSum: BN;
  ratingCount: BN;
  totalEarned: BN;
  registeredAt: BN;
  lastActiveAt: BN;
  rates: Rates;
  capacity: Resources;
  free: Resources;
  activeJobs: number;
  reputation: number;
  active: number;
  metadataUri: StoredUri;
}

export interface ClientProfile {
  authority: PublicKey;
  nextJobId: BN;
  jobsPosted: BN;
  jobsCompleted: BN;
  jobsCancelled: BN;
  jobsExpired: BN;
  totalSpent: BN;
  totalRefunded: BN;
}

export interface Job {
  client: PublicKey;
  provider: PublicKey;
  paymentMint: PublicKey;
  targetProvider: PublicKey;
  jobId: BN;
  maxPricePerHour: BN;
  agreedPricePerHour: BN;
  escrow: BN;
  providerPayout: BN;
  fee: BN;
  clientRefund: BN;
  postedAt: BN;
  assignedAt: BN;
  startedAt: BN;
  submittedAt: BN;
  disputedAt: BN;
  finishedAt: BN;
  startDeadline: BN;
  runDeadline: BN;
  graceDeadline: BN;
  reviewDeadline: BN;
  disputeDeadline: BN;
  requirements: Resources;
  durationSecs: number;
  feeBps: number;
  minReputation: number;
  status: number;
  rating: number;
  specHash: number[];
  resultHash: number[];
  specUri: StoredUri;
}

/** An account with its address. */
export interface Keyed<T> {
  address: PublicKey;
  account: T;
}

export function uriText(uri: StoredUri): string {
  return Buffer.from(uri.bytes.slice(0, uri.len)).toString("utf8");
}
