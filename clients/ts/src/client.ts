// MarketClient: one typed function per instruction (built with the generated builders), the queries, and
// sending with named errors.
import { AccountRole, type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { ASSOCIATED_TOKEN_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import * as ix from "./generated/instructions";
import {
  CLIENT_PROFILE_DISCRIMINATOR, JOB_DISCRIMINATOR, PROVIDER_DISCRIMINATOR, getBondDecoder, getClientProfileDecoder, getJobDecoder, getMarketDecoder,
  getProviderDecoder,
} from "./generated/accounts";
import { accountAt, accountOrNull, programAccounts } from "./accounts";
import { ANY_GPU, NO_HARDWARE } from "./hardware";
import { subscribeEvents, type MarketEvent, type Unsubscribe } from "./events";
import { jobMemcmp, providerMatches, providerMemcmp, type JobFilter, type ProviderFilter } from "./filters";
import { bondAddress, clientProfilePda, jobPda, marketPda, pairPda, paymentMintPda, programDataPda, providerPda, quotePda, vaultPda, vaultTokensPda } from "./pda";
import { bondTokenAccounts, depositRefusal, listBonds, refusedByProgram } from "./bonds";
import { PROGRAM_ID } from "./idl";
import { sendInstructions, type MarketRpc, type MarketRpcSubscriptions, type SendStage } from "./send";
import {
  associatedTokenAddress, getPaymentMint, isTokenJob, jobTokenAccounts, listMintQuotes, listPaymentMints, tokenBalance,
} from "./tokens";
import { DEFAULT_ADDRESS } from "./types";
import type { Bond, BondTermsArgs, ClientProfile, GpuNeedsArgs, HardwareArgs, Job, Keyed, Market, MintQuote, PaymentMint, Provider, RatesArgs, ResourcesArgs, TimeWindowsArgs } from "./types";

/** A u64 argument: a bigint or a safe integer. */
type U64 = bigint | number;

export interface JobTerms {
  requirements: ResourcesArgs;
  durationSecs: number;
  /** In lamports, or in the payment mint's base units for a token job. */
  maxPricePerHour: U64;
  minReputation?: number;
  targetProvider?: Address | null;
  specHash: ArrayLike<number>;
  specUri: string;
  /** What each GPU must be (see `gpuNeeds`); any GPU by default. Only a job asking for GPUs may set it. */
  gpu?: GpuNeedsArgs;
  /**
   * Bond the provider must have free in the job's currency (lamports, or the mint's base units) to take it, locked
   * while the job is in flight and partly slashed to the client if the provider fails it; 0 (the default) for none.
   */
  minBond?: U64;
}

const bytes = (value: ArrayLike<number>) => Uint8Array.from(value);

/**
 * `instruction` with `account` passed as absent (the program's own address, which Anchor reads as None). The
 * generated builders fill an optional program account with a fixed address (the associated token program) even
 * when it is not given; a lamport bond's instructions must pass none of its token accounts.
 */
function withAbsent(instruction: Instruction, account: Address): Instruction {
  const accounts = instruction.accounts?.map((meta) => (meta.address === account ? { address: PROGRAM_ID, role: AccountRole.READONLY } : meta));
  return { ...instruction, accounts };
}

export class MarketClient {
  private marketAddress?: Promise<Address>;

  /**
   * `signer` signs and pays for what this client sends: a KeyPairSigner in scripts and tests, a wallet's signer
   * in the dApp (@solana/react); null for a read-only client (queries only). `rpcSubscriptions` serves
   * `subscribeEvents` callers; sending confirms by polling the RPC.
   */
  constructor(
    readonly rpc: MarketRpc,
    readonly signer: TransactionSigner | null,
    readonly rpcSubscriptions: MarketRpcSubscriptions | null = null,
  ) {}

  /** The signer; throws for a read-only client. */
  get wallet(): TransactionSigner {
    if (!this.signer) throw new Error("no wallet: this client is read-only");
    return this.signer;
  }

  get me(): Address {
    return this.wallet.address;
  }

  /** The market's address (a PDA, derived once). */
  market(): Promise<Address> {
    this.marketAddress ??= marketPda();
    return this.marketAddress;
  }

  /**
   * Sends instructions (signed by the signer and by any signer inside them) and waits for confirmation;
   * `onStage` hears when the wallet is asked to sign and when the transaction is sent. Program errors become MarketError.
   */
  send(instructions: readonly Instruction[], onStage?: (stage: SendStage) => void): Promise<string> {
    return sendInstructions(this.rpc, this.wallet, instructions, onStage);
  }

  // --- instructions: each returns the instruction; `send` signs and sends them ---

  /**
   * Creates the market; the wallet must be the program's upgrade authority, and becomes the admin. `bonds`: how
   * long a bond withdrawal waits after it is requested, and the share of a failed job's minimum bond slashed to
   * its client (at most MAX_SLASH_BPS).
   */
  async initializeMarket(
    treasury: Address, feeBps: number, windows: TimeWindowsArgs, bonds: BondTermsArgs, matcher: Address | null = null,
  ): Promise<Instruction> {
    return ix.getInitializeMarketInstruction({
      admin: this.wallet, market: await this.market(), treasury, programData: await programDataPda(), feeBps, matcher, windows, bonds,
    });
  }

  /** Changes what is given; new `bonds` terms apply to jobs posted and withdrawals requested afterwards. */
  async updateMarket(
    args: { feeBps?: number; paused?: boolean; windows?: TimeWindowsArgs; bonds?: BondTermsArgs; setMatcher?: Address; clearMatcher?: boolean },
    newTreasury: Address | null = null,
  ): Promise<Instruction> {
    return ix.getUpdateMarketInstruction({
      admin: this.wallet, market: await this.market(), newTreasury: newTreasury ?? undefined,
      feeBps: args.feeBps ?? null, paused: args.paused ?? null, windows: args.windows ?? null, bonds: args.bonds ?? null,
      setMatcher: args.setMatcher ?? null, clearMatcher: args.clearMatcher ?? false,
    });
  }

  async proposeAdmin(newAdmin: Address): Promise<Instruction> {
    return ix.getProposeAdminInstruction({ admin: this.wallet, market: await this.market(), newAdmin });
  }

  async acceptAdmin(): Promise<Instruction> {
    return ix.getAcceptAdminInstruction({ newAdmin: this.wallet, market: await this.market() });
  }

  /**
   * Registers the wallet as a provider, or reopens its retired record. `assignment` is who besides the
   * provider may assign it jobs: ASSIGN_BY_CLIENTS and/or ASSIGN_BY_MATCHER (0: only itself, by accepting).
   * `hardware`: its GPU model, memory per GPU and CPU architecture; the default declares no GPU, so an offer
   * of GPUs must name them (else InvalidHardware).
   */
  async registerProvider(
    capacity: ResourcesArgs, rates: RatesArgs, metadataUri: string, assignment: number, hardware: HardwareArgs = NO_HARDWARE,
  ): Promise<Instruction> {
    return ix.getRegisterProviderInstruction({
      authority: this.wallet, market: await this.market(), provider: await providerPda(this.me), capacity, rates, hardware, metadataUri, assignment,
    });
  }

  /** Changes what is given; the program checks `hardware` (given or kept) against the capacity (given or kept). */
  async updateProvider(args: {
    capacity?: ResourcesArgs; rates?: RatesArgs; metadataUri?: string; assignment?: number; hardware?: HardwareArgs;
  }): Promise<Instruction> {
    return ix.getUpdateProviderInstruction({
      authority: this.wallet, provider: await providerPda(this.me),
      capacity: args.capacity ?? null, rates: args.rates ?? null, hardware: args.hardware ?? null, metadataUri: args.metadataUri ?? null,
      assignment: args.assignment ?? null,
    });
  }

  async setProviderActive(active: boolean): Promise<Instruction> {
    return ix.getSetProviderActiveInstruction({ authority: this.wallet, provider: await providerPda(this.me), active });
  }

  /** Retires the wallet's provider (no job in flight); its record stays, and registering again reopens it. */
  async closeProvider(): Promise<Instruction> {
    return ix.getCloseProviderInstruction({ authority: this.wallet, provider: await providerPda(this.me) });
  }

  /** Moves the lamport fees set aside on a provider's account to the market treasury; anyone may sign. */
  async collectFees(providerAuthority: Address, treasury?: Address): Promise<Instruction> {
    const to = treasury ?? (await this.getMarket()).treasury;
    return ix.getCollectFeesInstruction({ caller: this.wallet, market: await this.market(), provider: await providerPda(providerAuthority), treasury: to });
  }

  /**
   * The wallet's provider adds `amount` to its bond in lamports, or in `mint` (a mint the market accepts) from its
   * associated token account; the first deposit in a currency creates the bond (and its token account). A zero
   * amount is refused here as the program would refuse it (InvalidBondAmount).
   */
  async depositBond(amount: U64, mint: Address = DEFAULT_ADDRESS): Promise<Instruction> {
    const refusal = depositRefusal(BigInt(amount));
    if (refusal) throw refusedByProgram(refusal);
    const deposit = ix.getDepositBondInstruction({
      authority: this.wallet, provider: await providerPda(this.me), bond: await bondAddress(this.me, mint),
      ...(await bondTokenAccounts(this.rpc, this.me, mint, true)), amount,
    });
    return mint === DEFAULT_ADDRESS ? withAbsent(deposit, ASSOCIATED_TOKEN_PROGRAM_ADDRESS) : deposit;
  }

  /**
   * The wallet's provider asks to withdraw `amount` of its bond in `mint` (lamports by default), at most what jobs in
   * flight leave unlocked; it may be taken after the market's cool-down (`withdrawBond`). A new request replaces the
   * last and starts the cool-down again; 0 cancels the request.
   */
  async requestBondWithdrawal(amount: U64, mint: Address = DEFAULT_ADDRESS): Promise<Instruction> {
    return ix.getRequestBondWithdrawalInstruction({ authority: this.wallet, market: await this.market(), bond: await bondAddress(this.me, mint), amount });
  }

  /** The wallet's provider takes its requested bond withdrawal in `mint` once cooled down: lamports to its wallet, tokens to its token account. */
  async withdrawBond(mint: Address = DEFAULT_ADDRESS): Promise<Instruction> {
    const withdraw = ix.getWithdrawBondInstruction({
      authority: this.wallet, bond: await bondAddress(this.me, mint), ...(await bondTokenAccounts(this.rpc, this.me, mint, false)),
    });
    return withAbsent(withdraw, ASSOCIATED_TOKEN_PROGRAM_ADDRESS);
  }

  /** Pays the wallet's provider the earnings its wallet could not receive when its jobs settled. */
  async withdrawEarnings(): Promise<Instruction> {
    return ix.getWithdrawEarningsInstruction({ authority: this.wallet, provider: await providerPda(this.me) });
  }

  async registerClient(): Promise<Instruction> {
    return ix.getRegisterClientInstruction({ authority: this.wallet, market: await this.market(), clientProfile: await clientProfilePda(this.me) });
  }

  /**
   * post_job for the wallet's job `jobId` (its profile's nextJobId), paid in lamports, or in `mint` (a mint the
   * market accepts) from the wallet's associated token account for it (or `clientTokens`).
   */
  async postJob(jobId: U64, terms: JobTerms, payment: { mint: Address; clientTokens?: Address } | null = null): Promise<Instruction> {
    const [job, jobBump] = await jobPda(this.me, jobId);
    const [vault, vaultBump] = await vaultPda(job);
    const [vaultTokens, vaultTokensBump] = await vaultTokensPda(job);
    const tokens = payment ? { ...(await this.postTokenAccounts(payment.mint, payment.clientTokens)), vaultTokens } : {};
    return ix.getPostJobInstruction({
      client: this.wallet, market: await this.market(), clientProfile: await clientProfilePda(this.me), job, vault, ...tokens,
      jobId, jobBump, vaultBump, vaultTokensBump: payment ? vaultTokensBump : null, requirements: terms.requirements, gpu: terms.gpu ?? ANY_GPU, durationSecs: terms.durationSecs,
      maxPricePerHour: terms.maxPricePerHour, minReputation: terms.minReputation ?? 0, minBond: terms.minBond ?? 0, targetProvider: terms.targetProvider ?? null,
      specHash: bytes(terms.specHash), specUri: terms.specUri,
    });
  }

  private async postTokenAccounts(mint: Address, clientTokens?: Address) {
    const record = await getPaymentMint(this.rpc, mint);
    if (!record) throw new Error(`the market does not accept ${mint} (no payment mint record)`);
    const tokenProgram = record.tokenProgram;
    return {
      paymentMint: await paymentMintPda(mint), mint, tokenProgram,
      clientTokens: clientTokens ?? (await associatedTokenAddress(this.me, mint, tokenProgram)),
    };
  }

  async cancelJob(job: Address): Promise<Instruction> {
    const account = await this.getJob(job);
    return ix.getCancelJobInstruction({
      client: this.wallet, clientProfile: await clientProfilePda(this.me), job, vault: (await vaultPda(job))[0],
      ...(await jobTokenAccounts(this.rpc, job, account, "client")),
    });
  }

  /**
   * The client (the wallet) adds `addedSecs` to its assigned or running job, escrowing them at the agreed price
   * (`extensionEscrow`) from its wallet, or for a token job from its associated token account. A running job's
   * run and grace deadlines move by as much.
   */
  async extendJob(job: Address, addedSecs: number): Promise<Instruction> {
    const account = await this.getJob(job);
    return ix.getExtendJobInstruction({
      client: this.wallet, market: await this.market(), job, vault: (await vaultPda(job))[0],
      ...(await jobTokenAccounts(this.rpc, job, account, "client")), addedSecs,
    });
  }

  /**
   * Assigns `job` of `client` to the provider with authority `providerAuthority`, at an hourly price of at
   * most `maxPricePerHour`: the provider's price as the signer saw it (a provider repricing in between is
   * refused as PriceChanged). The wallet is the provider accepting, or the client or the matcher where
   * the provider's assignment policy allows them. A token job is priced by the provider's quote in its mint. A bonded
   * job locks its minimum bond on the provider's bond in the job's currency (BondTooSmall when too little is free).
   */
  async assignJob(job: Address, client: Address, providerAuthority: Address, maxPricePerHour: U64): Promise<Instruction> {
    const account = await this.getJob(job);
    const quote = isTokenJob(account) ? await quotePda(providerAuthority, account.paymentMint) : undefined;
    return ix.getAssignJobInstruction({
      assigner: this.wallet, market: await this.market(), job, vault: (await vaultPda(job))[0], provider: await providerPda(providerAuthority),
      clientProfile: await clientProfilePda(client), client, quote, bond: await bondAddress(providerAuthority, account.paymentMint),
      ...(await jobTokenAccounts(this.rpc, job, account, "client")), maxPricePerHour,
    });
  }

  /** The assigned provider (the wallet) returns a job it has not started to Open; a bonded job's lock is released. */
  async declineJob(job: Address): Promise<Instruction> {
    const { paymentMint } = await this.getJob(job);
    return ix.getDeclineJobInstruction({ authority: this.wallet, provider: await providerPda(this.me), job, bond: await bondAddress(this.me, paymentMint) });
  }

  /** The client (the wallet) takes back its assigned, unstarted job TAKE_BACK_AFTER_SECS after assignment; a bonded job's lock is released. */
  async takeBackJob(job: Address, providerAuthority: Address): Promise<Instruction> {
    const { paymentMint } = await this.getJob(job);
    return ix.getTakeBackJobInstruction({
      client: this.wallet, job, provider: await providerPda(providerAuthority), bond: await bondAddress(providerAuthority, paymentMint),
    });
  }

  async startJob(job: Address): Promise<Instruction> {
    return ix.getStartJobInstruction({ authority: this.wallet, provider: await providerPda(this.me), job });
  }

  async submitResult(job: Address, resultHash: ArrayLike<number>): Promise<Instruction> {
    return ix.getSubmitResultInstruction({ authority: this.wallet, provider: await providerPda(this.me), job, resultHash: bytes(resultHash) });
  }

  /**
   * The accounts every settlement of `job` shares (complete, finalize, resolve, expire), paid and signed by the wallet:
   * the provider's bond in the job's currency always (bonded job or not), and for a token job the bond's token account.
   */
  private async settleAccounts(job: Address) {
    const account = await this.getJob(job);
    const { client, provider } = account;
    const treasury = isTokenJob(account) ? (await this.getMarket()).treasury : null;
    return {
      market: await this.market(), payer: this.wallet, clientProfile: await clientProfilePda(client), job, vault: (await vaultPda(job))[0],
      provider: await providerPda(provider), providerWallet: provider, client, pair: await pairPda(provider, client),
      bond: await bondAddress(provider, account.paymentMint),
      ...(treasury ? await jobTokenAccounts(this.rpc, job, account, { treasury }) : {}),
    };
  }

  /** The client (the wallet) accepts the result and pays, with an optional rating. */
  async completeAndPay(job: Address, rating: number | null = null): Promise<Instruction> {
    return ix.getCompleteAndPayInstruction({ ...(await this.settleAccounts(job)), rating });
  }

  /** Anyone: pays the provider for a result whose review window closed undisputed. */
  async finalizeJob(job: Address): Promise<Instruction> {
    return ix.getFinalizeJobInstruction(await this.settleAccounts(job));
  }

  /** The client (the wallet) disputes a result during its review window. */
  async disputeJob(job: Address): Promise<Instruction> {
    return ix.getDisputeJobInstruction({ client: this.wallet, clientProfile: await clientProfilePda(this.me), job });
  }

  /** The admin (the wallet) rules on a dispute: `providerBps` of the payment for the work to the provider. */
  async resolveDispute(job: Address, providerBps: number): Promise<Instruction> {
    return ix.getResolveDisputeInstruction({ ...(await this.settleAccounts(job)), providerBps });
  }

  /** Anyone: refunds a job past its start or delivery deadline, or settles an unruled dispute by the default split. */
  async expireJob(job: Address): Promise<Instruction> {
    return ix.getExpireJobInstruction(await this.settleAccounts(job));
  }

  async closeJob(job: Address): Promise<Instruction> {
    return ix.getCloseJobInstruction({ client: this.wallet, job });
  }

  /**
   * Accepts `mint` for payment; the program creates the treasury's associated token account for its fees.
   * A mint with a freeze authority needs `acknowledgeFreezeAuthority`; `reputationLamportsPerToken` is what one
   * whole token counts as when reputation weighs work.
   */
  async addPaymentMint(
    mint: Address, treasury: Address, args: { acknowledgeFreezeAuthority: boolean; reputationLamportsPerToken: U64 },
    tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
  ): Promise<Instruction> {
    return ix.getAddPaymentMintInstruction({
      admin: this.wallet, market: await this.market(), mint, paymentMint: await paymentMintPda(mint), treasury,
      treasuryTokens: await associatedTokenAddress(treasury, mint, tokenProgram), tokenProgram, ...args,
    });
  }

  async setPaymentMintEnabled(mint: Address, enabled: boolean): Promise<Instruction> {
    return ix.getSetPaymentMintEnabledInstruction({ admin: this.wallet, market: await this.market(), paymentMint: await paymentMintPda(mint), enabled });
  }

  /** The wallet's provider quotes `rates` in `mint` (base units per unit-hour); the program creates its associated token account. */
  async addMintQuote(mint: Address, rates: RatesArgs): Promise<Instruction> {
    const record = await getPaymentMint(this.rpc, mint);
    if (!record) throw new Error(`the market does not accept ${mint} (no payment mint record)`);
    return ix.getAddMintQuoteInstruction({
      authority: this.wallet, provider: await providerPda(this.me), paymentMint: await paymentMintPda(mint), mint,
      quote: await quotePda(this.me, mint), providerTokens: await associatedTokenAddress(this.me, mint, record.tokenProgram),
      tokenProgram: record.tokenProgram, rates,
    });
  }

  /** `quote`: the wallet's quote in a mint, `quotePda(authority, mint)`. */
  async updateMintQuote(quote: Address, rates: RatesArgs): Promise<Instruction> {
    return ix.getUpdateMintQuoteInstruction({ authority: this.wallet, provider: await providerPda(this.me), quote, rates });
  }

  async removeMintQuote(quote: Address): Promise<Instruction> {
    return ix.getRemoveMintQuoteInstruction({ authority: this.wallet, quote });
  }

  // --- queries ---

  async getMarket(): Promise<Market> {
    return accountAt(this.rpc, await this.market(), getMarketDecoder(), "market");
  }

  async getProvider(authority: Address): Promise<Provider> {
    return accountAt(this.rpc, await providerPda(authority), getProviderDecoder(), "provider");
  }

  async getClientProfile(authority: Address): Promise<ClientProfile | null> {
    return accountOrNull(this.rpc, await clientProfilePda(authority), getClientProfileDecoder());
  }

  /** The id the wallet's next job gets (0 before its profile exists). */
  async nextJobId(client: Address = this.me): Promise<bigint> {
    return (await this.getClientProfile(client))?.nextJobId ?? 0n;
  }

  async getJob(address: Address): Promise<Job> {
    return accountAt(this.rpc, address, getJobDecoder(), "job");
  }

  async listProviders(filter: ProviderFilter = {}): Promise<Keyed<Provider>[]> {
    const all = await programAccounts(this.rpc, PROVIDER_DISCRIMINATOR, getProviderDecoder(), providerMemcmp(filter));
    return all.filter((p) => providerMatches(filter, p.account));
  }

  /** Every client profile: summed, their figures are the market's totals (see `marketStats`). */
  listClientProfiles(): Promise<Keyed<ClientProfile>[]> {
    return programAccounts(this.rpc, CLIENT_PROFILE_DISCRIMINATOR, getClientProfileDecoder());
  }

  async listJobs(filter: JobFilter = {}): Promise<Keyed<Job>[]> {
    const all = await programAccounts(this.rpc, JOB_DISCRIMINATOR, getJobDecoder(), jobMemcmp(filter));
    const order = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
    return all.sort((a, b) => order(a.account.postedAt, b.account.postedAt) || order(a.account.jobId, b.account.jobId));
  }

  /** The mints the market has a record of, with their decimals, token program and whether new jobs may use them. */
  listPaymentMints(): Promise<Keyed<PaymentMint>[]> {
    return listPaymentMints(this.rpc);
  }

  /** A provider's bonds (by its authority), one per currency it deposited in. */
  listBonds(providerAuthority: Address): Promise<Keyed<Bond>[]> {
    return listBonds(this.rpc, providerAuthority);
  }

  /** A provider's bond in `mint` (lamports by default), or null before its first deposit in it. */
  async getBond(providerAuthority: Address, mint: Address = DEFAULT_ADDRESS): Promise<Bond | null> {
    return accountOrNull(this.rpc, await bondAddress(providerAuthority, mint), getBondDecoder());
  }

  /** A provider's quotes (by its authority), one per mint. */
  listMintQuotes(providerAuthority: Address): Promise<Keyed<MintQuote>[]> {
    return listMintQuotes(this.rpc, providerAuthority);
  }

  /** `subscribeEvents` over this client's `rpcSubscriptions`. */
  subscribeEvents(onEvent: (event: MarketEvent, signature: string) => void): Unsubscribe {
    if (!this.rpcSubscriptions) throw new Error("this client has no rpcSubscriptions to follow events with");
    return subscribeEvents(this.rpcSubscriptions, onEvent);
  }

  /** What `owner` holds in `mint`, in base units. */
  tokenBalance(owner: Address, mint: Address): Promise<bigint> {
    return tokenBalance(this.rpc, owner, mint);
  }
}
