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

/** The windows that bound each job phase, in seconds; a job keeps the market's windows from its posting. */
export interface TimeWindows {
  startWindowSecs: number;
  reviewWindowSecs: number;
  graceSecs: number;
  disputeWindowSecs: number;
}

/** The market keeps no totals: they are summed from client profiles and providers (see `marketStats`). */
export interface Market {
  admin: PublicKey;
  treasury: PublicKey;
  matcher: PublicKey;
  pendingAdmin: PublicKey;
  /** The windows a job copies when it is posted. */
  windows: TimeWindows;
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
  /** Who besides the provider may assign it jobs: ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER flags. */
  assignment: number;
  /** 1 once the provider retired (close_provider); registering again reopens the same record. */
  retired: number;
  /** Reputation weights, in REPUTATION_UNIT_LAMPORTS of value. */
  deliveredUnits: BN;
  failedUnits: BN;
  lostUnits: BN;
  /** Distinct clients that paid for counted work. */
  counterparties: BN;
  /** Lamport fees of its jobs held on its account until collect_fees moves them to the treasury. */
  feesOwed: BN;
  /** Lamport earnings its wallet could not receive when paid, held until withdraw_earnings. */
  earningsOwed: BN;
}

export interface ClientProfile {
  authority: PublicKey;
  nextJobId: BN;
  jobsPosted: BN;
  jobsCompleted: BN;
  jobsCancelled: BN;
  jobsExpired: BN;
  jobsDisputed: BN;
  /** Lamports paid for work, provider share plus fee. */
  totalSpent: BN;
  /** Of `totalSpent`, the platform's fee. */
  feesPaid: BN;
  totalRefunded: BN;
  registeredAt: BN;
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
  /** Platform fee in basis points, fixed when the job was posted. */
  feeBps: number;
  minReputation: number;
  status: number;
  rating: number;
  specHash: number[];
  resultHash: number[];
  /** The market's windows when the job was posted: its terms for every phase. */
  windows: TimeWindows;
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
