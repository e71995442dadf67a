// MarketClient: one typed function per instruction, the queries, and sending with named errors.
import { AnchorProvider, BN, Program, type AccountClient, type Wallet } from "@anchor-lang/core";
import {
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  type Connection,
  type TransactionInstruction,
} from "@solana/web3.js";
import { IDL } from "./idl";
import { translateError } from "./errors";
import { jobMemcmp, providerMatches, providerMemcmp, type JobFilter, type ProviderFilter } from "./filters";
import { clientProfilePda, jobPda, marketPda, pairPda, paymentMintPda, programDataPda, providerPda, vaultPda } from "./pda";
import type { ClientProfile, Job, Keyed, Market, Provider, Rates, Resources, TimeWindows } from "./types";

/** A u64 argument: a BN, a bigint or a safe integer. */
type U64 = BN | bigint | number;
const u64 = (value: U64): BN => new BN(value.toString());

/** Where a transaction is on its way: waiting for the wallet's signature, or sent and awaiting confirmation. */
export type SendStage = { stage: "signing" } | { stage: "sent"; signature: string };

export interface JobTerms {
  requirements: Resources;
  durationSecs: number;
  maxPricePerHour: BN;
  minReputation?: number;
  targetProvider?: PublicKey | null;
  specHash: number[];
  specUri: string;
}

/** A keypair as an Anchor wallet (for scripts, tests and the CLI-like tools). */
export function keypairWallet(keypair: Keypair): Wallet {
  return {
    publicKey: keypair.publicKey,
    payer: keypair,
    async signTransaction<T>(tx: T): Promise<T> {
      (tx as unknown as Transaction).partialSign(keypair);
      return tx;
    },
    async signAllTransactions<T>(txs: T[]): Promise<T[]> {
      txs.forEach((tx) => (tx as unknown as Transaction).partialSign(keypair));
      return txs;
    },
  } as Wallet;
}

// Token accounts of a job paid in lamports: all absent.
const NO_TOKENS = {
  paymentMint: null,
  mint: null,
  vaultTokens: null,
  clientTokens: null,
  providerTokens: null,
  treasuryTokens: null,
  tokenProgram: null,
};

export class MarketClient {
  readonly program: Program;
  readonly market = marketPda();
  private readonly accounts: Record<"market" | "provider" | "clientProfile" | "job", AccountClient>;

  constructor(readonly connection: Connection, readonly wallet: Wallet) {
    const provider = new AnchorProvider(connection, wallet, { commitment: "confirmed" });
    this.program = new Program(IDL, provider);
    this.accounts = this.program.account as unknown as MarketClient["accounts"];
  }

  get me(): PublicKey {
    return this.wallet.publicKey;
  }

  /**
   * Sends instructions signed by the wallet (and any extra keypairs) and waits for confirmation; `onStage`
   * hears when the wallet is asked to sign and when the transaction is sent. Program errors become MarketError.
   */
  async send(instructions: TransactionInstruction[], signers: Keypair[] = [], onStage?: (stage: SendStage) => void): Promise<string> {
    try {
      const { blockhash, lastValidBlockHeight } = await this.connection.getLatestBlockhash("confirmed");
      const tx = new Transaction({ feePayer: this.me, blockhash, lastValidBlockHeight }).add(...instructions);
      if (signers.length > 0) tx.partialSign(...signers);
      onStage?.({ stage: "signing" });
      const signed = await this.wallet.signTransaction(tx);
      const signature = await this.connection.sendRawTransaction(signed.serialize(), { preflightCommitment: "confirmed" });
      onStage?.({ stage: "sent", signature });
      const { value } = await this.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
      if (value.err) {
        const landed = await this.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
        throw Object.assign(new Error(`transaction ${signature} failed: ${JSON.stringify(value.err)}`), { logs: landed?.meta?.logMessages ?? [] });
      }
      return signature;
    } catch (error) {
      throw translateError(error);
    }
  }

  private ix(name: string, args: unknown[], accounts: Record<string, unknown>): Promise<TransactionInstruction> {
    // The accounts are typed by the IDL at run time; Anchor checks every name.
    return this.program.methods[name](...args).accountsPartial(accounts as never).instruction();
  }

  // --- instructions: each returns the instruction; `send` signs and sends them ---

  /** Creates the market; the wallet must be the program's upgrade authority, and becomes the admin. */
  initializeMarket(treasury: PublicKey, feeBps: number, windows: TimeWindows, matcher: PublicKey | null = null) {
    return this.ix("initializeMarket", [{ feeBps, matcher, windows }], {
      admin: this.me, market: this.market, treasury, programData: programDataPda(), systemProgram: SystemProgram.programId,
    });
  }

  updateMarket(args: { feeBps?: number; paused?: boolean; windows?: TimeWindows; setMatcher?: PublicKey; clearMatcher?: boolean }, newTreasury: PublicKey | null = null) {
    const full = {
      feeBps: args.feeBps ?? null,
      paused: args.paused ?? null,
      windows: args.windows ?? null,
      setMatcher: args.setMatcher ?? null,
      clearMatcher: args.clearMatcher ?? false,
    };
    return this.ix("updateMarket", [full], { admin: this.me, market: this.market, newTreasury });
  }

  proposeAdmin(newAdmin: PublicKey) {
    return this.ix("proposeAdmin", [newAdmin], { admin: this.me, market: this.market });
  }

  acceptAdmin() {
    return this.ix("acceptAdmin", [], { newAdmin: this.me, market: this.market });
  }

  /**
   * Registers the wallet as a provider, or reopens its retired record. `assignment` is who besides the
   * provider may assign it jobs: ASSIGN_BY_CLIENTS and/or ASSIGN_BY_MATCHER (0: only itself, by accepting).
   */
  registerProvider(capacity: Resources, rates: Rates, metadataUri: string, assignment: number) {
    return this.ix("registerProvider", [{ capacity, rates, metadataUri, assignment }], {
      authority: this.me, market: this.market, provider: providerPda(this.me), systemProgram: SystemProgram.programId,
    });
  }

  updateProvider(args: { capacity?: Resources; rates?: Rates; metadataUri?: string; assignment?: number }) {
    const full = {
      capacity: args.capacity ?? null,
      rates: args.rates ?? null,
      metadataUri: args.metadataUri ?? null,
      assignment: args.assignment ?? null,
    };
    return this.ix("updateProvider", [full], { authority: this.me, provider: providerPda(this.me) });
  }

  setProviderActive(active: boolean) {
    return this.ix("setProviderActive", [active], { authority: this.me, provider: providerPda(this.me) });
  }

  /** Retires the wallet's provider (no job in flight); its record stays, and registering again reopens it. */
  closeProvider() {
    return this.ix("closeProvider", [], { authority: this.me, provider: providerPda(this.me) });
  }

  /** Moves the lamport fees set aside on a provider's account to the market treasury; anyone may sign. */
  async collectFees(providerAuthority: PublicKey, treasury?: PublicKey) {
    const to = treasury ?? (await this.getMarket()).treasury;
    return this.ix("collectFees", [], { caller: this.me, market: this.market, provider: providerPda(providerAuthority), treasury: to });
  }

  /** Pays the wallet's provider the earnings its wallet could not receive when its jobs settled. */
  withdrawEarnings() {
    return this.ix("withdrawEarnings", [], { authority: this.me, provider: providerPda(this.me) });
  }

  registerClient() {
    return this.ix("registerClient", [], {
      authority: this.me, market: this.market, clientProfile: clientProfilePda(this.me), systemProgram: SystemProgram.programId,
    });
  }

  /** post_job for the wallet's job `jobId` (its profile's nextJobId), paid in lamports. */
  postJob(jobId: number | BN, terms: JobTerms) {
    const [job, jobBump] = jobPda(this.me, new BN(jobId.toString()));
    const [vault, vaultBump] = vaultPda(job);
    const args = {
      jobId: new BN(jobId.toString()),
      jobBump,
      vaultBump,
      requirements: terms.requirements,
      durationSecs: terms.durationSecs,
      maxPricePerHour: terms.maxPricePerHour,
      minReputation: terms.minReputation ?? 0,
      targetProvider: terms.targetProvider ?? null,
      specHash: terms.specHash,
      specUri: terms.specUri,
    };
    return this.ix("postJob", [args], {
      client: this.me, market: this.market, clientProfile: clientProfilePda(this.me), job, vault,
      systemProgram: SystemProgram.programId,
      paymentMint: null, mint: null, clientTokens: null, vaultTokens: null, tokenProgram: null, associatedTokenProgram: null,
    });
  }

  cancelJob(job: PublicKey) {
    return this.ix("cancelJob", [], {
      client: this.me, clientProfile: clientProfilePda(this.me), job, vault: vaultPda(job)[0], tokens: NO_TOKENS,
    });
  }

  /**
   * Assigns `job` of `client` to the provider with authority `providerAuthority`, at an hourly price of at
   * most `maxPricePerHour`: the provider's price as the signer saw it (a provider repricing in between is
   * refused as PriceChanged). The wallet is the provider accepting, or the client or the matcher where
   * the provider's assignment policy allows them.
   */
  assignJob(job: PublicKey, client: PublicKey, providerAuthority: PublicKey, maxPricePerHour: U64) {
    return this.ix("assignJob", [{ maxPricePerHour: u64(maxPricePerHour) }], {
      assigner: this.me, market: this.market, job, vault: vaultPda(job)[0], provider: providerPda(providerAuthority),
      clientProfile: clientProfilePda(client), client, quote: null, tokens: NO_TOKENS,
    });
  }

  /** The assigned provider (the wallet) returns a job it has not started to Open. */
  declineJob(job: PublicKey) {
    return this.ix("declineJob", [], { authority: this.me, provider: providerPda(this.me), job });
  }

  /** The client (the wallet) takes back its assigned, unstarted job TAKE_BACK_AFTER_SECS after assignment. */
  takeBackJob(job: PublicKey, providerAuthority: PublicKey) {
    return this.ix("takeBackJob", [], { client: this.me, job, provider: providerPda(providerAuthority) });
  }

  startJob(job: PublicKey) {
    return this.ix("startJob", [], { authority: this.me, provider: providerPda(this.me), job });
  }

  submitResult(job: PublicKey, resultHash: number[]) {
    return this.ix("submitResult", [resultHash], { authority: this.me, provider: providerPda(this.me), job });
  }

  /** The accounts every settlement of `job` shares (complete, finalize, resolve, expire), paid and signed by the wallet. */
  private async settleAccounts(job: PublicKey) {
    const { client, provider } = await this.getJob(job);
    return {
      market: this.market,
      settle: {
        payer: this.me, clientProfile: clientProfilePda(client), job, vault: vaultPda(job)[0],
        provider: providerPda(provider), providerWallet: provider, client, pair: pairPda(provider, client),
        tokens: NO_TOKENS, systemProgram: SystemProgram.programId,
      },
    };
  }

  /** The client (the wallet) accepts the result and pays, with an optional rating. */
  async completeAndPay(job: PublicKey, rating: number | null = null) {
    return this.ix("completeAndPay", [rating], await this.settleAccounts(job));
  }

  /** Anyone: pays the provider for a result whose review window closed undisputed. */
  async finalizeJob(job: PublicKey) {
    return this.ix("finalizeJob", [], await this.settleAccounts(job));
  }

  /** The client (the wallet) disputes a result during its review window. */
  disputeJob(job: PublicKey) {
    return this.ix("disputeJob", [], { client: this.me, clientProfile: clientProfilePda(this.me), job });
  }

  /** The admin (the wallet) rules on a dispute: `providerBps` of the payment for the work to the provider. */
  async resolveDispute(job: PublicKey, providerBps: number) {
    return this.ix("resolveDispute", [providerBps], await this.settleAccounts(job));
  }

  /** Anyone: refunds a job past its start or delivery deadline, or settles an unruled dispute by the default split. */
  async expireJob(job: PublicKey) {
    return this.ix("expireJob", [], await this.settleAccounts(job));
  }

  closeJob(job: PublicKey) {
    return this.ix("closeJob", [], { client: this.me, job });
  }

  /**
   * Accepts `mint` for payment. A mint with a freeze authority needs `acknowledgeFreezeAuthority`;
   * `reputationLamportsPerToken` is what one whole token counts as when reputation weighs work.
   */
  addPaymentMint(
    mint: PublicKey, treasury: PublicKey, treasuryTokens: PublicKey, tokenProgram: PublicKey,
    args: { acknowledgeFreezeAuthority: boolean; reputationLamportsPerToken: U64 },
  ) {
    const full = { acknowledgeFreezeAuthority: args.acknowledgeFreezeAuthority, reputationLamportsPerToken: u64(args.reputationLamportsPerToken) };
    return this.ix("addPaymentMint", [full], {
      admin: this.me, market: this.market, mint, paymentMint: paymentMintPda(mint), treasury, treasuryTokens, tokenProgram,
    });
  }

  setPaymentMintEnabled(mint: PublicKey, paymentMint: PublicKey, enabled: boolean) {
    return this.ix("setPaymentMintEnabled", [enabled], { admin: this.me, market: this.market, paymentMint, mint });
  }

  addMintQuote(mint: PublicKey, providerTokens: PublicKey, tokenProgram: PublicKey, rates: Rates) {
    return this.ix("addMintQuote", [rates], {
      authority: this.me, provider: providerPda(this.me), paymentMint: paymentMintPda(mint), mint, providerTokens, tokenProgram,
    });
  }

  updateMintQuote(quote: PublicKey, rates: Rates) {
    return this.ix("updateMintQuote", [rates], { authority: this.me, provider: providerPda(this.me), quote });
  }

  removeMintQuote(quote: PublicKey) {
    return this.ix("removeMintQuote", [], { authority: this.me, quote });
  }

  // --- queries ---

  async getMarket(): Promise<Market> {
    return (await this.accounts.market.fetch(this.market)) as unknown as Market;
  }

  async getProvider(authority: PublicKey): Promise<Provider> {
    return (await this.accounts.provider.fetch(providerPda(authority))) as unknown as Provider;
  }

  async getClientProfile(authority: PublicKey): Promise<ClientProfile | null> {
    return (await this.accounts.clientProfile.fetchNullable(clientProfilePda(authority))) as unknown as ClientProfile | null;
  }

  /** The id the wallet's next job gets (0 before its profile exists). */
  async nextJobId(client: PublicKey = this.me): Promise<BN> {
    return (await this.getClientProfile(client))?.nextJobId ?? new BN(0);
  }

  async getJob(address: PublicKey): Promise<Job> {
    return (await this.accounts.job.fetch(address)) as unknown as Job;
  }

  async listProviders(filter: ProviderFilter = {}): Promise<Keyed<Provider>[]> {
    const all = await this.accounts.provider.all(providerMemcmp(filter));
    return all
      .map(({ publicKey, account }: { publicKey: PublicKey; account: unknown }) => ({ address: publicKey, account: account as unknown as Provider }))
      .filter((p) => providerMatches(filter, p.account));
  }

  /** Every client profile: summed, their figures are the market's totals (see `marketStats`). */
  async listClientProfiles(): Promise<Keyed<ClientProfile>[]> {
    const all = await this.accounts.clientProfile.all();
    return all.map(({ publicKey, account }: { publicKey: PublicKey; account: unknown }) => ({ address: publicKey, account: account as unknown as ClientProfile }));
  }

  async listJobs(filter: JobFilter = {}): Promise<Keyed<Job>[]> {
    const all = await this.accounts.job.all(jobMemcmp(filter));
    return all
      .map(({ publicKey, account }: { publicKey: PublicKey; account: unknown }) => ({ address: publicKey, account: account as unknown as Job }))
      .sort((a, b) => a.account.postedAt.cmp(b.account.postedAt) || a.account.jobId.cmp(b.account.jobId));
  }
}
