//! Seeded random sequences of instructions by several clients and providers, mixing jobs paid in
//! lamports and in a token (Token program or Token-2022, alternating by seed; the mint has a freeze
//! authority, which the admin acknowledged). Besides every step of a job's life (including declines
//! and take-backs), a sequence donates tokens to vaults, creates and funds the vault token account of a
//! client's next job before it is posted, freezes and thaws vaults, drains and refills provider wallets
//! and treasuries, changes the market's fee, windows and treasury while jobs are in flight, collects
//! fees, withdraws held earnings, and pushes statistics to their maximum. Providers keep bonds in
//! lamports and in the token: they deposit (zero is refused by name), ask to withdraw (more than is
//! unlocked is refused by name, zero cancels) and withdraw after the cool-down (before it: refused by
//! name); strangers give bonds lamports and tokens; bond token accounts are frozen and thawed; jobs ask
//! for a minimum bond (now and then more than any provider holds: their assignment is refused by name),
//! and the market changes its bond terms while jobs are in flight.
//!
//! After every step (`World::after`):
//! - lamports are conserved across every account involved, and tokens across every token account;
//! - a failed transaction changes no tracked account at all (no balance, no job, no statistic);
//! - each vault holds exactly its job's escrow (and, for a token vault, what was donated to it); a final
//!   job holds nothing; each provider account holds rent + fees owed + earnings owed;
//! - each provider's free capacity is its offer minus what its jobs in flight hold;
//! - each job keeps the windows and fee the market had when it was posted, and settles by that fee;
//! - every statistic agrees with a saturating model of what happened;
//! - every job not yet final has a way out that succeeds right now, or, while its vault is frozen,
//!   a way out that moves money fails by name (EscrowFrozen);
//! - every bond has locked + pending <= held; it locks exactly the minimum bonds of its provider's jobs
//!   in flight in its currency, one job each; it holds (a lamport bond's account beyond its rent, a token
//!   bond's token account) exactly what it counts plus gifts it has not counted yet; and it has slashed
//!   exactly what its provider's failed bonded jobs cost it (`Job::slash`, nothing while its token
//!   account is frozen), no more and no sooner.
//!
//! At the end of a sequence (`World::finish`) every live job is driven to a final state by
//! permissionless exits or by its client, fees are collected and held earnings withdrawn, every bond is
//! withdrawn in full after its cool-down (gifts included), and each party's balance is checked against
//! what the jobs paid for work and what bonds gave and lost.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::Account as TokenAccountState;
use bytemuck::Pod;
use compute_market::constants::{
    ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, DISPUTE_LOSS_BPS, MAX_FEE_BPS, MAX_JOB_DURATION_SECS, MAX_SLASH_BPS, MAX_WINDOW_SECS, MIN_WINDOW_SECS,
    TAKE_BACK_AFTER_SECS,
};
use compute_market::error::MarketError;
use compute_market::instructions::{AddPaymentMintArgs, PostJobArgs, RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs};
use compute_market::math::pricing::cost_for;
use compute_market::state::{
    space, Bond, BondTerms, ClientProfile, GpuNeeds, Hardware, Job, JobStatus, Market, Pair, PaymentMint, Provider, Rates, Resources, TimeWindows, Vault,
};
use compute_market_tests::builders::{self, JobParties, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::{job_args, ANY_PRICE, HARDWARE};
use compute_market_tests::tokens::{DECIMALS, MINT_TERMS, STARTING_TOKENS, TOKEN_2022_PROGRAM, TOKEN_PROGRAM};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solana_account::Account;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

const SEQUENCES: u64 = 500;
const STEPS: usize = 40;
const SHARDS: u64 = 4;
/// The most time one extension adds.
const MAX_EXTENSION_SECS: u32 = 3_600;
/// A warp after which every deadline of every job has passed: the longest window, twice, plus the
/// longest job the generator posts, extended at every step.
const PAST_EVERY_WINDOW: i64 = 2 * MAX_WINDOW_SECS as i64 + 10_000 + STEPS as i64 * MAX_EXTENSION_SECS as i64;

/// What a step was, for the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Post,
    Cancel,
    Assign,
    Decline,
    TakeBack,
    Extend,
    Start,
    Submit,
    Dispute,
    Complete,
    Finalize,
    Resolve,
    Expire,
    Close,
    CollectFees,
    WithdrawEarnings,
    UpdateMarket,
    UpdateProvider,
    UpdateMint,
    DepositBond,
    RequestBondWithdrawal,
    WithdrawBond,
}

/// What a step did.
#[derive(Clone, Copy, Debug)]
enum Did {
    /// Sent one program instruction, signed by `signer`.
    Sent { ok: bool, signer: Pubkey, action: Action },
    /// Changed the ledger from outside the program: the clock, funding, drains, donations, freezes,
    /// patched statistics.
    Outside,
}

impl Did {
    fn ok(&self) -> bool {
        !self.failed()
    }

    fn failed(&self) -> bool {
        matches!(self, Did::Sent { ok: false, .. })
    }

    fn succeeded(&self, action: Action) -> bool {
        matches!(self, Did::Sent { ok: true, action: a, .. } if *a == action)
    }
}

/// How often each path was taken; summed over a shard, every path must have been reached.
#[derive(Clone, Copy, Debug, Default)]
struct Paths {
    steps_ok: usize,
    completed: u64,
    cancelled: u64,
    expired: u64,
    resolved: u64,
    disputed: u64,
    /// Disputes nobody ruled on, settled by the default split.
    disputes_defaulted: u64,
    declined: u64,
    taken_back: u64,
    /// Assigned or running jobs given more time by their client.
    extended: u64,
    /// Jobs settled whose vault held tokens donated beyond the escrow.
    donations_settled: u64,
    /// Vault token accounts created (and perhaps funded) before their job was posted.
    precreated: u64,
    /// ... of which the client then posted that job id in lamports, leaving the tokens where no exit reaches.
    stranded: u64,
    frozen: u64,
    /// Exits checked while a vault was frozen, refused by name because they would move escrow.
    frozen_refusals: u64,
    /// Jobs settled after their vault had been frozen and thawed.
    frozen_settled: u64,
    fees_collected: u64,
    /// Lamport payouts kept on the Provider account because the wallet could not hold them.
    earnings_held: u64,
    earnings_withdrawn: u64,
    /// Fee, window or treasury changes while jobs were in flight.
    terms_changed_mid_job: u64,
    treasury_changes: u64,
    counters_patched: u64,
    wallets_drained: u64,
    bond_deposits: u64,
    /// Deposits of nothing, refused by name (InvalidBondAmount).
    bond_deposits_refused: u64,
    bond_requests: u64,
    /// Requests of more than is unlocked, refused by name (BondInUse).
    bond_requests_in_use: u64,
    /// Pending withdrawals cancelled by a request of zero.
    bond_requests_cancelled: u64,
    bond_withdrawals: u64,
    /// Withdrawals tried before their cool-down, refused by name (BondCoolingDown).
    bond_withdrawals_early: u64,
    /// Gifts to bond accounts, and the deposits, requests and withdrawals that counted one into the bond.
    bond_gifts: u64,
    bond_gifts_counted: u64,
    bonds_frozen: u64,
    /// Failed bonded jobs whose slash left a lamport bond, or a token bond, for the client.
    slashes_lamports: u64,
    slashes_tokens: u64,
    /// Failed bonded jobs released unslashed because their token bond's account was frozen.
    slashes_frozen_released: u64,
    /// Bonded jobs assigned, and assignments refused by name for want of a bond (BondTooSmall, WrongBond).
    bonded_assigned: u64,
    bonded_refused: u64,
}

impl AddAssign for Paths {
    fn add_assign(&mut self, o: Paths) {
        self.steps_ok += o.steps_ok;
        self.completed += o.completed;
        self.cancelled += o.cancelled;
        self.expired += o.expired;
        self.resolved += o.resolved;
        self.disputed += o.disputed;
        self.disputes_defaulted += o.disputes_defaulted;
        self.declined += o.declined;
        self.taken_back += o.taken_back;
        self.extended += o.extended;
        self.donations_settled += o.donations_settled;
        self.precreated += o.precreated;
        self.stranded += o.stranded;
        self.frozen += o.frozen;
        self.frozen_refusals += o.frozen_refusals;
        self.frozen_settled += o.frozen_settled;
        self.fees_collected += o.fees_collected;
        self.earnings_held += o.earnings_held;
        self.earnings_withdrawn += o.earnings_withdrawn;
        self.terms_changed_mid_job += o.terms_changed_mid_job;
        self.treasury_changes += o.treasury_changes;
        self.counters_patched += o.counters_patched;
        self.wallets_drained += o.wallets_drained;
        self.bond_deposits += o.bond_deposits;
        self.bond_deposits_refused += o.bond_deposits_refused;
        self.bond_requests += o.bond_requests;
        self.bond_requests_in_use += o.bond_requests_in_use;
        self.bond_requests_cancelled += o.bond_requests_cancelled;
        self.bond_withdrawals += o.bond_withdrawals;
        self.bond_withdrawals_early += o.bond_withdrawals_early;
        self.bond_gifts += o.bond_gifts;
        self.bond_gifts_counted += o.bond_gifts_counted;
        self.bonds_frozen += o.bonds_frozen;
        self.slashes_lamports += o.slashes_lamports;
        self.slashes_tokens += o.slashes_tokens;
        self.slashes_frozen_released += o.slashes_frozen_released;
        self.bonded_assigned += o.bonded_assigned;
        self.bonded_refused += o.bonded_refused;
    }
}

/// One job address the sequence knows: a posted job, or only its vault's token account, created by a
/// stranger before the client posted that job id.
struct Slot {
    key: Pubkey,
    client: usize,
    /// The job as it stood after the last step; `None` before it is posted and once it is closed.
    last: Option<Job>,
    posted: bool,
    /// Paid in the token (known once posted).
    token: bool,
    /// The market's windows and fee when the job was posted: its terms for its whole life.
    terms: Option<(TimeWindows, u16)>,
    /// The minimum bond the client asked for, and the market's slash share when the job was posted.
    min_bond: u64,
    slash_bps: u16,
    /// Someone sent lamports to the vault token account's address before the job was posted.
    precreated: bool,
    /// Those lamports: the client's when a token job's vault token account closes; a lamport job's (or
    /// a job never posted) leave them where they are.
    gift: u64,
    /// Tokens donated to the vault's token account that no exit has paid out yet.
    donated: u64,
    frozen: bool,
    was_frozen: bool,
    /// Closed with its vault, and checked empty: its accounts can never hold anything again.
    retired: bool,
}

impl Slot {
    fn new(key: Pubkey, client: usize) -> Slot {
        Slot {
            key,
            client,
            last: None,
            posted: false,
            token: false,
            terms: None,
            min_bond: 0,
            slash_bps: 0,
            precreated: false,
            gift: 0,
            donated: 0,
            frozen: false,
            was_frozen: false,
            retired: false,
        }
    }

    /// The job, if posted and not final.
    fn live(&self) -> Option<Job> {
        self.last.filter(|job| !job.status().unwrap().is_final())
    }

    /// Lamports sent early to the vault token address of a job id not posted yet, or posted in lamports:
    /// no token account is ever made there, so they stay.
    fn stranded(&self) -> bool {
        self.precreated && (!self.posted || !self.token)
    }
}

/// What each party's balance must come to at the end: what jobs paid for work, and lamports that came
/// from outside the program.
#[derive(Default)]
struct Books {
    /// Lamport fees of settled jobs (set aside on provider accounts), and what collect_fees moved on.
    lamport_fees: u64,
    collected: u64,
    token_fees: u64,
    /// Per client: what its jobs paid for work (provider share plus fee), in lamports and in tokens.
    client_paid_lamports: Vec<u64>,
    client_paid_tokens: Vec<u64>,
    /// Per client: rent of early vault token accounts closed to it, and donated tokens returned to it.
    client_gifts: Vec<u64>,
    client_donations: Vec<u64>,
    /// Per provider: its payouts, in lamports and in tokens.
    provider_lamports: Vec<u64>,
    provider_tokens: Vec<u64>,
    /// Rent of pair records, by who paid it.
    pair_rent: BTreeMap<Pubkey, u64>,
    /// Lamports moved into (+) or out of (-) an account from outside the program: funding and drains.
    outside: BTreeMap<Pubkey, i128>,
    donated: u64,
    /// Per client: what slashes of bonds paid it, in lamports and in tokens.
    client_slashed_lamports: Vec<u64>,
    client_slashed_tokens: Vec<u64>,
    /// Per provider: what its bonds lost to slashes, and what was given to them (which the provider
    /// withdraws with the bond), in lamports and in tokens.
    bond_slashed_lamports: Vec<u64>,
    bond_slashed_tokens: Vec<u64>,
    bond_gifts_lamports: Vec<u64>,
    bond_gifts_tokens: Vec<u64>,
}

/// What each provider's counters must read: updated as a saturating counter would be, or set by a patch.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
struct ProviderModel {
    total_earned: u64,
    jobs_failed: u64,
    fees_owed: u64,
    earnings_owed: u64,
}

struct Rents {
    wallet: u64,
    vault: u64,
    provider: u64,
    bond: u64,
    /// An associated token account of the mint.
    token_account: u64,
    /// A vault's token account (plain size under either token program).
    vault_tokens: u64,
}

/// A provider's bond in one currency as it must stand. What its jobs lock is not kept here: it is the
/// sum of the minimum bonds of the provider's jobs in flight in that currency.
#[derive(Clone, Copy, Default, Debug)]
struct BondModel {
    created: bool,
    held: u64,
    pending: u64,
    withdraw_at: i64,
    slashed: u64,
    /// Given to the bond's account (lamports beyond rent and `held`, or tokens beyond `held`) and not
    /// counted into it yet; before a lamport bond exists, what its address holds.
    uncounted: u64,
    /// A token bond whose token account the mint's freeze authority froze.
    frozen: bool,
}

/// Every tracked account as it stood at one moment: lamports, token balances and program state all
/// come from one read of each account.
#[derive(Clone, Default)]
struct Snapshot {
    accounts: BTreeMap<Pubkey, Option<Account>>,
}

impl Snapshot {
    fn account(&self, key: &Pubkey) -> Option<&Account> {
        self.accounts.get(key).unwrap_or_else(|| panic!("account {key} is not tracked")).as_ref()
    }

    fn lamports(&self, key: &Pubkey) -> u64 {
        self.account(key).map_or(0, |a| a.lamports)
    }

    fn total_lamports(&self) -> u64 {
        self.accounts.values().flatten().map(|a| a.lamports).sum()
    }

    /// The balance of a token account, or `None` when there is none (no account, or only lamports sent
    /// to the address).
    fn tokens(&self, key: &Pubkey) -> Option<u64> {
        let account = self.account(key)?;
        if account.owner == anchor_lang::system_program::ID && account.data.is_empty() {
            return None;
        }
        Some(StateWithExtensions::<TokenAccountState>::unpack(&account.data).expect("token account").base.amount)
    }

    /// A zero-copy program account (Job, Provider, ClientProfile, Market), or `None` when it does not exist.
    fn read<T: Pod + Discriminator>(&self, key: &Pubkey) -> Option<T> {
        let account = self.account(key)?;
        assert_eq!(account.owner, compute_market::ID, "account {key} not owned by the program");
        assert_eq!(&account.data[..8], T::DISCRIMINATOR, "account {key} has the wrong discriminator");
        Some(bytemuck::pod_read_unaligned(&account.data[8..]))
    }
}

struct World {
    m: TestMarket,
    /// The token jobs may be paid in; its freeze authority is the context's payer.
    token: Pay,
    clients: Vec<Keypair>,
    providers: Vec<Keypair>,
    /// A keeper for permissionless exits, and the donor: holds lamports and tokens.
    stranger: Keypair,
    /// The original treasury and two spares the admin may switch to, each with a token account.
    treasuries: Vec<Keypair>,
    /// The market's treasury now.
    treasury: Pubkey,
    slots: Vec<Slot>,
    rent: Rents,
    /// Lamports across `tracked()` and tokens across `token_accounts()`, as they must stand.
    lamports: u64,
    tokens: u64,
    /// The ledger when the sequence began, and after the last step.
    initial: Snapshot,
    seen: Snapshot,
    books: Books,
    profiles: Vec<ClientProfile>,
    provider_models: Vec<ProviderModel>,
    /// Per provider: its bond in lamports, then in the token.
    bonds: Vec<[BondModel; 2]>,
    /// The provider share the admin last ruled, for the dispute its ruling settles (lost below DISPUTE_LOSS_BPS).
    ruling: Option<u16>,
    paths: Paths,
    simulations: u32,
    /// Where the sequence is, for failure messages.
    at: String,
}

impl World {
    async fn new(rng: &mut StdRng, seed: u64) -> Self {
        let mut m = TestMarket::new().await;
        let token_program = if seed % 2 == 0 { TOKEN_PROGRAM } else { TOKEN_2022_PROGRAM };
        let mint = m.create_freezable_mint(token_program, &[]).await;
        let admin = m.admin();
        let terms = AddPaymentMintArgs { acknowledge_freeze_authority: true, ..MINT_TERMS };
        let add = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), &mint, &token_program, terms);
        m.send(&[add], &[&admin]).await.expect("add_payment_mint");
        let token = Pay::Token { mint, token_program };

        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(m.client_paying_in(&token).await);
        }
        let mut providers = Vec::new();
        for i in 0..3 {
            let capacity = random_capacity(rng);
            let args = RegisterProviderArgs {
                capacity,
                rates: random_rates(rng),
                hardware: hardware_for(&capacity),
                metadata_uri: "https://p".into(),
                assignment: rng.gen_range(0..=(ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER)),
            };
            let provider = m.registered_provider_with(args).await;
            // Most providers also quote the token; one in three, after the first, does not.
            if i == 0 || rng.gen_bool(0.67) {
                let ix = builders::add_mint_quote(&provider.pubkey(), &mint, &token_program, random_rates(rng));
                m.send(&[ix], &[&provider]).await.expect("add_mint_quote");
            } else {
                // Its token account exists all the same, so the token ledger covers every party.
                let ix = m.create_ata_ix(&provider.pubkey(), &token);
                m.send(&[ix], &[]).await.expect("provider token account");
            }
            // Tokens to put up as a bond.
            m.fund_tokens(&provider.pubkey(), &token).await;
            providers.push(provider);
        }
        let stranger = m.funded_keypair().await;
        m.fund_tokens(&stranger.pubkey(), &token).await;
        let mut treasuries = vec![m.treasury.insecure_clone()];
        for _ in 0..2 {
            let spare = m.funded_keypair().await;
            let ix = m.create_ata_ix(&spare.pubkey(), &token);
            m.send(&[ix], &[]).await.expect("spare treasury token account");
            treasuries.push(spare);
        }
        let (mint_key, token_program_key) = token.token();
        let rent = Rents {
            wallet: m.rent_exempt(0).await,
            vault: m.rent_exempt(space::<Vault>()).await,
            provider: m.rent_exempt(space::<Provider>()).await,
            bond: m.rent_exempt(space::<Bond>()).await,
            token_account: m.lamports(&pda::ata(&providers[0].pubkey(), &mint_key, &token_program_key)).await,
            vault_tokens: m.rent_exempt(compute_market::token_account::TOKEN_ACCOUNT_LEN).await,
        };
        let treasury = m.treasury.pubkey();
        let mut world = World {
            m,
            token,
            clients,
            providers,
            stranger,
            treasuries,
            treasury,
            slots: Vec::new(),
            rent,
            lamports: 0,
            tokens: 0,
            initial: Snapshot::default(),
            seen: Snapshot::default(),
            books: Books::default(),
            profiles: Vec::new(),
            provider_models: Vec::new(),
            bonds: vec![[BondModel::default(); 2]; 3],
            ruling: None,
            paths: Paths::default(),
            simulations: 0,
            at: format!("seed {seed} setup"),
        };
        world.books.client_paid_lamports = vec![0; 3];
        world.books.client_paid_tokens = vec![0; 3];
        world.books.client_gifts = vec![0; 3];
        world.books.client_donations = vec![0; 3];
        world.books.provider_lamports = vec![0; 3];
        world.books.provider_tokens = vec![0; 3];
        world.books.client_slashed_lamports = vec![0; 3];
        world.books.client_slashed_tokens = vec![0; 3];
        world.books.bond_slashed_lamports = vec![0; 3];
        world.books.bond_slashed_tokens = vec![0; 3];
        world.books.bond_gifts_lamports = vec![0; 3];
        world.books.bond_gifts_tokens = vec![0; 3];
        for c in world.client_keys() {
            let profile = world.m.account(&pda::client_profile(&c)).await;
            world.profiles.push(profile);
        }
        for p in world.provider_keys() {
            let state: Provider = world.m.account(&pda::provider(&p)).await;
            world.provider_models.push(ProviderModel { total_earned: state.total_earned, jobs_failed: state.jobs_failed, ..Default::default() });
        }
        world.initial = world.snapshot().await;
        world.seen = world.initial.clone();
        world.lamports = world.initial.total_lamports();
        world.tokens = world.total_tokens(&world.initial);
        assert_eq!(world.tokens, STARTING_TOKENS * 7, "three clients, three providers and the donor hold tokens");
        world
    }

    // ---- Accounts and parties ----

    fn client_keys(&self) -> Vec<Pubkey> {
        self.clients.iter().map(|c| c.pubkey()).collect()
    }

    fn provider_keys(&self) -> Vec<Pubkey> {
        self.providers.iter().map(|p| p.pubkey()).collect()
    }

    fn mint(&self) -> (Pubkey, Pubkey) {
        self.token.token()
    }

    fn ata(&self, owner: &Pubkey) -> Pubkey {
        let (mint, token_program) = self.mint();
        pda::ata(owner, &mint, &token_program)
    }

    fn vault_tokens(&self, job: &Pubkey) -> Pubkey {
        pda::vault_tokens(job)
    }

    /// How a provider's bond is kept: in lamports, or in the token.
    fn bond_pay(&self, token: bool) -> Pay {
        if token { self.token } else { Pay::Lamports }
    }

    fn bond_key(&self, pi: usize, token: bool) -> Pubkey {
        pda::bond(&self.providers[pi].pubkey(), &self.bond_pay(token).mint())
    }

    /// The token account of a provider's token bond.
    fn bond_tokens(&self, pi: usize) -> Pubkey {
        self.ata(&self.bond_key(pi, true))
    }

    /// What a provider's jobs in flight lock on its bond in a currency, and how many they are, as the
    /// jobs stood after the last step.
    fn bond_in_use(&self, pi: usize, token: bool) -> (u64, u32) {
        let provider = self.providers[pi].pubkey();
        let in_flight = self.slots.iter().filter_map(|s| s.live()).filter(|job| {
            job.provider == provider && job.is_bonded() && job.is_token_job() == token && !job.is(JobStatus::Open)
        });
        in_flight.fold((0, 0), |(sum, count), job| (sum + job.min_bond, count + 1))
    }

    fn pay_of(&self, job: &Job) -> Pay {
        if job.is_token_job() { self.token } else { Pay::Lamports }
    }

    fn parties(&self, job: &Job, key: Pubkey) -> JobParties {
        JobParties { job: key, client: job.client, provider: job.provider, treasury: self.treasury, pay: self.pay_of(job) }
    }

    fn client_index(&self, key: &Pubkey) -> usize {
        self.clients.iter().position(|c| c.pubkey() == *key).expect("known client")
    }

    fn provider_index(&self, key: &Pubkey) -> usize {
        self.providers.iter().position(|p| p.pubkey() == *key).expect("known provider")
    }

    fn client_of(&self, job: &Job) -> Keypair {
        self.clients[self.client_index(&job.client)].insecure_clone()
    }

    fn provider_of(&self, job: &Job) -> Keypair {
        self.providers[self.provider_index(&job.provider)].insecure_clone()
    }

    fn slot_index(&self, key: &Pubkey) -> Option<usize> {
        self.slots.iter().position(|s| s.key == *key)
    }

    fn pairs(&self) -> Vec<Pubkey> {
        let mut keys = Vec::new();
        for p in &self.providers {
            for c in &self.clients {
                keys.push(pda::pair(&p.pubkey(), &c.pubkey()));
            }
        }
        keys
    }

    /// Every account whose lamports the program (or a step from outside it) can move or create: the
    /// parties and their token accounts, the treasuries old and new, the market, profiles, provider
    /// accounts, quotes, pair records, and each job with its vault and vault token account.
    fn tracked(&self) -> Vec<Pubkey> {
        let (mint, _) = self.mint();
        let stranger = self.stranger.pubkey();
        let mut keys = vec![self.m.admin.pubkey(), self.m.matcher.pubkey(), stranger, self.ata(&stranger), pda::market()];
        for t in &self.treasuries {
            keys.extend([t.pubkey(), self.ata(&t.pubkey())]);
        }
        for c in self.client_keys() {
            keys.extend([c, pda::client_profile(&c), self.ata(&c)]);
        }
        for p in self.provider_keys() {
            keys.extend([p, pda::provider(&p), self.ata(&p), pda::quote(&p, &mint)]);
        }
        for pi in 0..self.providers.len() {
            keys.extend([self.bond_key(pi, false), self.bond_key(pi, true), self.bond_tokens(pi)]);
        }
        keys.extend(self.pairs());
        for slot in self.slots.iter().filter(|s| !s.retired) {
            keys.extend([slot.key, pda::vault(&slot.key), self.vault_tokens(&slot.key)]);
        }
        keys
    }

    /// Every token account of the mint: the parties', the treasuries', every token bond's and every vault's.
    fn token_accounts(&self) -> Vec<Pubkey> {
        let mut owners = vec![self.stranger.pubkey()];
        owners.extend(self.treasuries.iter().map(|t| t.pubkey()));
        owners.extend(self.client_keys());
        owners.extend(self.provider_keys());
        owners.extend((0..self.providers.len()).map(|pi| self.bond_key(pi, true)));
        let mut accounts: Vec<Pubkey> = owners.iter().map(|owner| self.ata(owner)).collect();
        accounts.extend(self.slots.iter().filter(|s| !s.retired).map(|s| self.vault_tokens(&s.key)));
        accounts
    }

    /// Reads every tracked account once.
    async fn snapshot(&mut self) -> Snapshot {
        // Read concurrently: the reads are independent and the banks server answers each on its own.
        let reads: Vec<_> = self
            .tracked()
            .into_iter()
            .map(|key| {
                let client = self.m.ctx.banks_client.clone();
                (key, tokio::spawn(async move { client.get_account(key).await.expect("get_account") }))
            })
            .collect();
        let mut accounts = BTreeMap::new();
        for (key, read) in reads {
            accounts.insert(key, read.await.expect("read task"));
        }
        Snapshot { accounts }
    }

    fn total_tokens(&self, snapshot: &Snapshot) -> u64 {
        self.token_accounts().iter().map(|key| snapshot.tokens(key).unwrap_or(0)).sum()
    }

    async fn job(&mut self, key: &Pubkey) -> Option<Job> {
        if self.m.exists(key).await { Some(self.m.account(key).await) } else { None }
    }

    async fn provider_state(&mut self, authority: &Pubkey) -> Provider {
        self.m.account(&pda::provider(authority)).await
    }

    fn live_jobs(&self) -> usize {
        self.slots.iter().filter(|s| s.live().is_some()).count()
    }

    /// Moves lamports from outside the program into `key` (the context's payer funds it).
    async fn fund_from_outside(&mut self, key: Pubkey, lamports: u64) {
        self.m.fund_with(&[key], lamports).await;
        self.lamports += lamports;
        *self.books.outside.entry(key).or_default() += i128::from(lamports);
    }

    /// Empties a wallet to a key outside the program's reach.
    async fn drain(&mut self, wallet: &Keypair) {
        let held = self.m.lamports(&wallet.pubkey()).await;
        if held == 0 {
            return;
        }
        self.m.drain(wallet).await;
        self.lamports -= held;
        *self.books.outside.entry(wallet.pubkey()).or_default() -= i128::from(held);
        self.paths.wallets_drained += 1;
    }

    async fn send(&mut self, ix: Instruction, signer: &Keypair, action: Action) -> Did {
        self.send_for_error(ix, signer, action).await.0
    }

    /// As `send`, with the program's error code when it failed with one.
    async fn send_for_error(&mut self, ix: Instruction, signer: &Keypair, action: Action) -> (Did, Option<u32>) {
        let result = self.m.send(&[ix], &[signer]).await;
        let code = match &result {
            // Instruction 0 sets the compute limit; 1 is the program's.
            Err(TxError { error: TransactionError::InstructionError(1, InstructionError::Custom(code)), .. }) => Some(*code),
            _ => None,
        };
        (Did::Sent { ok: result.is_ok(), signer: signer.pubkey(), action }, code)
    }

    /// Runs `ix` against the current ledger without committing it, built as `TestMarket::send` builds
    /// its transactions (paid by the context's payer).
    async fn simulate(&mut self, ix: Instruction, signer: &Keypair) -> Result<(), TransactionError> {
        self.simulations += 1;
        // A compute limit of its own keeps it apart from every transaction actually sent.
        let ixs = [ComputeBudgetInstruction::set_compute_unit_limit(1_000_000 - self.simulations), ix];
        let payer = self.m.ctx.payer.insecure_clone();
        for _ in 0..3 {
            let tx = Transaction::new_signed_with_payer(&ixs, Some(&payer.pubkey()), &[&payer, signer], self.m.ctx.last_blockhash);
            let simulated = self.m.ctx.banks_client.simulate_transaction(tx).await.expect("banks client");
            match simulated.result {
                None | Some(Err(TransactionError::BlockhashNotFound)) => {
                    self.m.ctx.get_new_latest_blockhash().await.expect("new blockhash");
                }
                Some(result) => return result,
            }
        }
        panic!("{}: no blockhash to simulate with", self.at)
    }

    // ---- Steps ----

    /// Chooses and takes one random step.
    async fn step(&mut self, rng: &mut StdRng) -> Did {
        let roll = rng.gen_range(0..110);
        if roll < 18 || self.slots.iter().all(|s| s.last.is_none()) {
            return self.post(rng).await;
        }
        match roll {
            18..=23 => {
                self.m.warp(rng.gen_range(0..4_000)).await;
                Did::Outside
            }
            24..=27 => self.admin_or_provider_change(rng).await,
            28..=31 => self.market_change(rng).await,
            32..=34 => self.tokens_from_a_stranger(rng).await,
            35..=36 => self.freeze_or_thaw(rng).await,
            37..=38 => self.collect_or_withdraw(rng).await,
            39..=40 => self.drain_or_refill(rng).await,
            41 => self.push_counters_to_the_limit(rng).await,
            42..=99 => self.act_on_a_job(rng).await,
            _ => self.bond_step(rng).await,
        }
    }

    async fn post(&mut self, rng: &mut StdRng) -> Did {
        let ci = rng.gen_range(0..self.clients.len());
        let client = self.clients[ci].insecure_clone();
        let job_id = self.m.next_job_id(&client.pubkey()).await;
        let key = pda::job(&client.pubkey(), job_id);
        let target = rng.gen_bool(0.15).then(|| self.providers[rng.gen_range(0..self.providers.len())].pubkey());
        let requirements = Resources {
            cpu_cores: rng.gen_range(0..6),
            ram_gb: rng.gen_range(0..24),
            storage_gb: rng.gen_range(0..300),
            gpus: rng.gen_range(0..2),
        };
        // Now and then GPU needs: memory every provider's A100s have, or more than any has (and, on a
        // job without GPUs, needs it may not have: refused).
        let gpu = if rng.gen_bool(0.2) { GpuNeeds { min_vram_gb: rng.gen_range(79..=81), ..GpuNeeds::default() } } else { GpuNeeds::default() };
        // One job in four asks for a bond: mostly one a provider may have, now and then more than any holds.
        let min_bond = match rng.gen_range(0..20) {
            0..=3 => rng.gen_range(1..=300_000_000),
            4 => 10 * STARTING_TOKENS.max(STARTING_LAMPORTS),
            _ => 0,
        };
        let args = PostJobArgs {
            job_id,
            requirements,
            gpu,
            duration_secs: rng.gen_range(30..8_000),
            max_price_per_hour: rng.gen_range(0..60_000_000),
            min_reputation: if rng.gen_bool(0.2) { rng.gen_range(0..7_000) } else { 0 },
            target_provider: target,
            spec_hash: [rng.gen_range(0..=1); 32],
            spec_uri: "data:,job".into(),
            min_bond,
            ..job_args(&client.pubkey(), job_id)
        };
        // A job whose vault token account someone made early is mostly posted in the token.
        let precreated = self.slot_index(&key).is_some();
        let token = rng.gen_bool(if precreated { 0.9 } else { 0.5 });
        let pay = if token { self.token } else { Pay::Lamports };
        let did = self.send(builders::post_job_in(&client.pubkey(), args, &pay), &client, Action::Post).await;
        if did.ok() && !precreated {
            self.slots.push(Slot::new(key, ci));
        }
        if did.ok() {
            let i = self.slot_index(&key).expect("posted job's slot");
            self.slots[i].min_bond = min_bond;
        }
        did
    }

    async fn admin_or_provider_change(&mut self, rng: &mut StdRng) -> Did {
        let admin = self.m.admin();
        let (mint, _) = self.mint();
        let p = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
        match rng.gen_range(0..5) {
            0 => self.send(builders::set_payment_mint_enabled(&admin.pubkey(), &mint, rng.gen_bool(0.7)), &admin, Action::UpdateMint).await,
            1 => self.send(builders::update_mint_quote(&p.pubkey(), &mint, random_rates(rng)), &p, Action::UpdateProvider).await,
            2 => self.send(builders::set_provider_active(&p.pubkey(), rng.gen_bool(0.7)), &p, Action::UpdateProvider).await,
            _ => {
                let capacity = rng.gen_bool(0.7).then(|| random_capacity(rng));
                let args = UpdateProviderArgs {
                    capacity,
                    rates: rng.gen_bool(0.7).then(|| random_rates(rng)),
                    // A new capacity comes with the hardware it needs; now and then without, to be refused
                    // when it adds or removes GPUs.
                    hardware: capacity.filter(|_| rng.gen_bool(0.9)).map(|c| hardware_for(&c)),
                    metadata_uri: None,
                    // Now and then a policy with a flag that does not exist, to be refused.
                    assignment: rng.gen_bool(0.5).then(|| rng.gen_range(0..=4)),
                };
                self.send(builders::update_provider(&p.pubkey(), args), &p, Action::UpdateProvider).await
            }
        }
    }

    /// The admin changes the fee, the windows, the pause flag, the treasury or the bond terms. Jobs in
    /// flight keep their terms (slash share included); a new treasury is accepted only while it holds at
    /// least its rent-exempt minimum.
    async fn market_change(&mut self, rng: &mut StdRng) -> Did {
        let admin = self.m.admin();
        let mut args = UpdateMarketArgs::default();
        let mut new_treasury = None;
        match rng.gen_range(0..6) {
            0 => args.fee_bps = Some(rng.gen_range(0..=MAX_FEE_BPS + 100)),
            5 => args.bonds = Some(random_bond_terms(rng)),
            1 => args.paused = Some(rng.gen_bool(0.3)),
            2 => args.windows = Some(random_windows(rng)),
            3 => new_treasury = Some(self.treasuries[rng.gen_range(0..self.treasuries.len())].pubkey()),
            _ => {
                args.fee_bps = Some(rng.gen_range(0..=MAX_FEE_BPS));
                args.windows = Some(random_windows(rng));
                new_treasury = Some(self.treasuries[rng.gen_range(0..self.treasuries.len())].pubkey());
            }
        }
        let acceptable = match new_treasury {
            Some(key) => self.m.lamports(&key).await >= self.rent.wallet,
            None => true,
        };
        let valid = acceptable
            && args.fee_bps.is_none_or(|fee| fee <= MAX_FEE_BPS)
            && args.windows.is_none_or(|w| windows_valid(&w))
            && args.bonds.is_none_or(|b| bond_terms_valid(&b));
        let did = self.send(builders::update_market(&admin.pubkey(), new_treasury, args.clone()), &admin, Action::UpdateMarket).await;
        assert_eq!(did.ok(), valid, "{}: update_market {:?} with treasury {new_treasury:?}", self.at, (args.fee_bps, args.windows, args.bonds));
        if did.ok() {
            if let Some(key) = new_treasury {
                self.paths.treasury_changes += u64::from(key != self.treasury);
                self.treasury = key;
            }
            if self.live_jobs() > 0 && (args.fee_bps.is_some() || args.windows.is_some() || new_treasury.is_some() || args.bonds.is_some()) {
                self.paths.terms_changed_mid_job += 1;
            }
        }
        did
    }

    /// The stranger sends tokens to a live token job's vault, or lamports to the vault token address of
    /// a client's next job before the client posts it (which must neither block the post nor be lost).
    async fn tokens_from_a_stranger(&mut self, rng: &mut StdRng) -> Did {
        let donatable: Vec<usize> =
            (0..self.slots.len()).filter(|&i| self.slots[i].token && !self.slots[i].frozen && self.slots[i].live().is_some()).collect();
        if !donatable.is_empty() && rng.gen_bool(0.6) {
            let i = donatable[rng.gen_range(0..donatable.len())];
            let key = self.slots[i].key;
            self.donate(i, &key, rng.gen_range(1..=5_000_000)).await;
            return Did::Outside;
        }
        let ci = rng.gen_range(0..self.clients.len());
        let client = self.clients[ci].pubkey();
        let key = pda::job(&client, self.m.next_job_id(&client).await);
        let i = match self.slot_index(&key) {
            Some(i) => i,
            None => {
                self.slots.push(Slot::new(key, ci));
                self.slots.len() - 1
            }
        };
        // Less than a token account's rent, or more (an empty address takes no less than its own rent).
        let amount = rng.gen_range(self.rent.wallet..=2 * self.rent.vault_tokens);
        self.m.fund_with(&[self.vault_tokens(&key)], amount).await;
        self.lamports += amount;
        if !self.slots[i].precreated {
            self.paths.precreated += 1;
        }
        self.slots[i].precreated = true;
        self.slots[i].gift += amount;
        Did::Outside
    }

    async fn donate(&mut self, slot: usize, job: &Pubkey, amount: u64) {
        self.give_tokens(self.vault_tokens(job), amount).await;
        self.slots[slot].donated += amount;
    }

    /// The stranger sends `amount` tokens to a token account.
    async fn give_tokens(&mut self, to: Pubkey, amount: u64) {
        let (mint, token_program) = self.mint();
        let stranger = self.stranger.insecure_clone();
        let ix = spl_token_2022::instruction::transfer_checked(
            &token_program,
            &self.ata(&stranger.pubkey()),
            &mint,
            &to,
            &stranger.pubkey(),
            &[],
            amount,
            DECIMALS,
        )
        .expect("transfer instruction");
        self.m.send(&[ix], &[&stranger]).await.expect("donation");
        self.books.donated += amount;
    }

    /// The mint's freeze authority freezes a live token job's vault or a token bond's account, or thaws
    /// a frozen one.
    async fn freeze_or_thaw(&mut self, rng: &mut StdRng) -> Did {
        let bonds: Vec<usize> = (0..self.providers.len()).filter(|&pi| self.bonds[pi][1].created).collect();
        if !bonds.is_empty() && rng.gen_bool(0.3) {
            let pi = bonds[rng.gen_range(0..bonds.len())];
            let frozen = !self.bonds[pi][1].frozen;
            let (account, pay) = (self.bond_tokens(pi), self.token);
            self.m.set_frozen(&account, &pay, frozen).await;
            self.bonds[pi][1].frozen = frozen;
            self.paths.bonds_frozen += u64::from(frozen);
            return Did::Outside;
        }
        let candidates: Vec<usize> = (0..self.slots.len()).filter(|&i| self.slots[i].token && self.slots[i].live().is_some()).collect();
        if candidates.is_empty() {
            return Did::Outside;
        }
        let i = candidates[rng.gen_range(0..candidates.len())];
        let frozen = !self.slots[i].frozen;
        let account = self.vault_tokens(&self.slots[i].key);
        let pay = self.token;
        self.m.set_frozen(&account, &pay, frozen).await;
        self.slots[i].frozen = frozen;
        if frozen {
            self.slots[i].was_frozen = true;
            self.paths.frozen += 1;
        }
        Did::Outside
    }

    async fn collect_or_withdraw(&mut self, rng: &mut StdRng) -> Did {
        let pi = rng.gen_range(0..self.providers.len());
        if rng.gen_bool(0.6) {
            let caller = match rng.gen_range(0..3) {
                0 => self.stranger.insecure_clone(),
                1 => self.m.admin(),
                _ => self.providers[pi].insecure_clone(),
            };
            // Now and then the caller names a treasury the market no longer uses.
            let treasury = if rng.gen_bool(0.9) { self.treasury } else { self.treasuries[rng.gen_range(0..self.treasuries.len())].pubkey() };
            self.collect_fees(pi, &caller, treasury).await
        } else {
            self.withdraw_earnings(pi).await
        }
    }

    /// collect_fees: moves the provider's fees owed to the treasury named, which must be the market's
    /// and able to hold them (rent-exempt after the transfer); anything else is refused and moves nothing.
    async fn collect_fees(&mut self, pi: usize, caller: &Keypair, treasury: Pubkey) -> Did {
        let authority = self.providers[pi].pubkey();
        let owed = self.provider_state(&authority).await.fees_owed;
        let held = self.m.lamports(&treasury).await;
        let expected = treasury == self.treasury && owed > 0 && held + owed >= self.rent.wallet;
        let did = self.send(builders::collect_fees(&caller.pubkey(), &authority, &treasury), caller, Action::CollectFees).await;
        assert_eq!(did.ok(), expected, "{}: collect_fees of {owed} into a treasury holding {held}", self.at);
        if did.ok() {
            assert_eq!(self.m.lamports(&treasury).await, held + owed, "{}: the treasury gains exactly the fees owed", self.at);
            self.provider_models[pi].fees_owed = 0;
            self.books.collected += owed;
            self.paths.fees_collected += 1;
        }
        did
    }

    /// withdraw_earnings: the provider takes the payouts held for it, once its wallet can hold them.
    async fn withdraw_earnings(&mut self, pi: usize) -> Did {
        let provider = self.providers[pi].insecure_clone();
        let owed = self.provider_state(&provider.pubkey()).await.earnings_owed;
        let held = self.m.lamports(&provider.pubkey()).await;
        let expected = owed > 0 && held + owed >= self.rent.wallet;
        let did = self.send(builders::withdraw_earnings(&provider.pubkey()), &provider, Action::WithdrawEarnings).await;
        assert_eq!(did.ok(), expected, "{}: withdraw_earnings of {owed} into a wallet holding {held}", self.at);
        if did.ok() {
            assert_eq!(self.m.lamports(&provider.pubkey()).await, held + owed, "{}: the wallet gains exactly its earnings", self.at);
            self.provider_models[pi].earnings_owed = 0;
            self.paths.earnings_withdrawn += 1;
        }
        did
    }

    /// A provider or a treasury walks away with everything its wallet holds, or an emptied one is
    /// funded again (sometimes with just its rent-exempt minimum).
    async fn drain_or_refill(&mut self, rng: &mut StdRng) -> Did {
        let wallet = if rng.gen_bool(0.6) {
            self.providers[rng.gen_range(0..self.providers.len())].insecure_clone()
        } else {
            self.treasuries[rng.gen_range(0..self.treasuries.len())].insecure_clone()
        };
        if self.m.lamports(&wallet.pubkey()).await > 0 {
            if rng.gen_bool(0.7) {
                self.drain(&wallet).await;
            }
        } else {
            let lamports = if rng.gen_bool(0.5) { self.rent.wallet } else { 1_000_000_000 };
            self.fund_from_outside(wallet.pubkey(), lamports).await;
        }
        Did::Outside
    }

    /// Rewrites a client's, a provider's or a pair's statistics to just below u64::MAX, as a long
    /// history would leave them: no counter may then fail a transfer.
    async fn push_counters_to_the_limit(&mut self, rng: &mut StdRng) -> Did {
        let near: [u64; 10] = std::array::from_fn(|_| u64::MAX - rng.gen_range(0..3));
        self.paths.counters_patched += 1;
        match rng.gen_range(0..3) {
            0 => {
                let ci = rng.gen_range(0..self.clients.len());
                let key = pda::client_profile(&self.clients[ci].pubkey());
                self.m
                    .patch::<ClientProfile>(&key, |p| {
                        p.jobs_posted = near[0];
                        p.jobs_completed = near[1];
                        p.jobs_cancelled = near[2];
                        p.jobs_expired = near[3];
                        p.jobs_disputed = near[4];
                        p.total_spent = near[5];
                        p.fees_paid = near[6];
                        p.total_refunded = near[7];
                    })
                    .await;
                self.profiles[ci] = self.m.account(&key).await;
            }
            1 => {
                let pi = rng.gen_range(0..self.providers.len());
                let key = pda::provider(&self.providers[pi].pubkey());
                self.m
                    .patch::<Provider>(&key, |p| {
                        p.jobs_completed = near[0];
                        p.jobs_failed = near[1];
                        p.disputes_lost = near[2];
                        p.rating_sum = near[3];
                        p.rating_count = near[4];
                        p.total_earned = near[5];
                        p.delivered_units = near[6];
                        p.failed_units = near[7];
                        p.lost_units = near[8];
                        p.counterparties = near[9];
                    })
                    .await;
                self.provider_models[pi].total_earned = near[5];
                self.provider_models[pi].jobs_failed = near[1];
            }
            _ => {
                let mut existing = Vec::new();
                for pair in self.pairs() {
                    if self.m.exists(&pair).await {
                        existing.push(pair);
                    }
                }
                if let Some(&pair) = existing.get(rng.gen_range(0..existing.len().max(1))) {
                    self.m
                        .patch::<Pair>(&pair, |p| {
                            p.jobs = near[0];
                            p.units = near[1];
                        })
                        .await;
                }
            }
        }
        Did::Outside
    }

    // ---- Bonds ----

    /// A provider deposits into its bond (now and then nothing), asks to withdraw from it (now and then
    /// more than is unlocked, or zero to cancel), or takes a withdrawal (sometimes after waiting out its
    /// cool-down); or a stranger gives a bond lamports or tokens. Requests go mostly to bonds that exist,
    /// withdrawals mostly to bonds with one pending.
    async fn bond_step(&mut self, rng: &mut StdRng) -> Did {
        let action = rng.gen_range(0..12);
        let bonds: Vec<(usize, bool)> = (0..self.providers.len()).flat_map(|pi| [(pi, false), (pi, true)]).collect();
        let preferred: Vec<(usize, bool)> = bonds
            .iter()
            .copied()
            .filter(|&(pi, token)| {
                let model = self.bonds[pi][usize::from(token)];
                if (6..=9).contains(&action) { model.pending > 0 } else { model.created }
            })
            .collect();
        let (pi, token) = if (3..=9).contains(&action) && !preferred.is_empty() && rng.gen_bool(0.7) {
            preferred[rng.gen_range(0..preferred.len())]
        } else {
            bonds[rng.gen_range(0..bonds.len())]
        };
        let model = self.bonds[pi][usize::from(token)];
        match action {
            0..=2 => {
                let amount = if rng.gen_bool(0.1) { 0 } else { rng.gen_range(1..=500_000_000) };
                self.deposit_bond(pi, token, amount).await
            }
            3..=5 => {
                let unlocked = self.bond_unlocked(pi, token);
                let amount = match rng.gen_range(0..10) {
                    _ if model.pending > 0 && rng.gen_bool(0.3) => 0,
                    0 => 0,
                    1 | 2 => unlocked + rng.gen_range(1..=1_000_000),
                    3 | 4 => unlocked,
                    _ => rng.gen_range(0..=unlocked),
                };
                self.request_bond_withdrawal(pi, token, amount).await
            }
            6..=9 => {
                let now = self.m.now().await;
                if model.pending > 0 && model.withdraw_at > now && rng.gen_bool(0.4) {
                    // The provider waits out the cool-down (a day, unless the market shortened it).
                    self.m.warp(model.withdraw_at - now + rng.gen_range(0..100)).await;
                }
                self.withdraw_bond(pi, token).await
            }
            _ => {
                self.gift_to_bond(pi, token, rng).await;
                Did::Outside
            }
        }
    }

    /// Before the random steps, most providers put up a bond in lamports, in the token, or both, each
    /// deposit checked as a step: bonded jobs then find providers that can take them.
    async fn open_bonds(&mut self, rng: &mut StdRng) {
        for pi in 0..self.providers.len() {
            for token in [false, true] {
                if rng.gen_bool(0.75) {
                    let did = self.deposit_bond(pi, token, rng.gen_range(200_000_000..=2_000_000_000)).await;
                    assert!(did.ok(), "{}: an opening deposit", self.at);
                    self.after(&did).await;
                }
            }
        }
    }

    /// What a withdrawal may be requested of now: what the bond holds (a lamport bond counts a gift to
    /// it first, a token bond does not) less what its provider's jobs in flight lock.
    fn bond_unlocked(&self, pi: usize, token: bool) -> u64 {
        let model = self.bonds[pi][usize::from(token)];
        let held = if token { model.held } else { model.held + model.uncounted };
        held - self.bond_in_use(pi, token).0
    }

    /// deposit_bond: the provider adds `amount` (zero is refused by name), creating the bond, and a token
    /// bond's account, at its first deposit in the currency, and counting any gift to it.
    async fn deposit_bond(&mut self, pi: usize, token: bool, amount: u64) -> Did {
        let provider = self.providers[pi].insecure_clone();
        let pay = self.bond_pay(token);
        let t = usize::from(token);
        let model = self.bonds[pi][t];
        // Lamports the deposit takes from the wallet: a lamport bond's amount, and the rent of what it
        // creates (a gift already at a lamport bond's address pays for part of it).
        let mut cost = if token { 0 } else { amount };
        if !model.created {
            cost += self.rent.bond - if token { 0 } else { model.uncounted.min(self.rent.bond) };
        }
        let mut possible = amount > 0;
        if token {
            let (mint, _) = self.mint();
            if !self.m.exists(&self.bond_tokens(pi)).await {
                cost += self.rent.token_account;
            }
            let enabled = self.m.borsh_account::<PaymentMint>(&pda::payment_mint(&mint)).await.enabled;
            let balance = self.m.tokens_of(&provider.pubkey(), &pay).await;
            possible &= enabled && !model.frozen && balance >= amount;
        }
        // A wallet may not be left holding less than its rent-exempt minimum, unless nothing.
        let wallet = self.m.lamports(&provider.pubkey()).await;
        possible &= cost == 0 || wallet == cost || wallet >= cost + self.rent.wallet;
        let ix = builders::deposit_bond(&provider.pubkey(), &pay, amount);
        let (did, code) = self.send_for_error(ix, &provider, Action::DepositBond).await;
        assert_eq!(did.ok(), possible, "{}: deposit_bond of {amount} into {model:?} (token: {token}) from a wallet of {wallet}", self.at);
        if amount == 0 {
            assert_eq!(code, Some(u32::from(MarketError::InvalidBondAmount)), "{}: a deposit of nothing", self.at);
            self.paths.bond_deposits_refused += 1;
        }
        if did.ok() {
            let bond = &mut self.bonds[pi][t];
            // What was at a new lamport bond's address paid its rent first.
            let gift = if bond.created || token { bond.uncounted } else { bond.uncounted.saturating_sub(self.rent.bond) };
            self.paths.bond_gifts_counted += u64::from(bond.uncounted > 0);
            bond.held += amount + gift;
            bond.uncounted = 0;
            bond.created = true;
            self.paths.bond_deposits += 1;
        }
        did
    }

    /// request_bond_withdrawal: replaces the pending withdrawal with `amount` of what is unlocked (more is
    /// refused by name; zero cancels), to be taken after the market's cool-down as it is now.
    async fn request_bond_withdrawal(&mut self, pi: usize, token: bool, amount: u64) -> Did {
        let provider = self.providers[pi].insecure_clone();
        let t = usize::from(token);
        let model = self.bonds[pi][t];
        let unlocked = self.bond_unlocked(pi, token);
        let cooldown = i64::from(self.m.market().await.bond_cooldown_secs);
        let before = self.m.now().await;
        let ix = builders::request_bond_withdrawal(&provider.pubkey(), &self.bond_pay(token).mint(), amount);
        let (did, code) = self.send_for_error(ix, &provider, Action::RequestBondWithdrawal).await;
        let after = self.m.now().await;
        assert_eq!(did.ok(), model.created && amount <= unlocked, "{}: request of {amount} from {model:?} with {unlocked} unlocked", self.at);
        if model.created && amount > unlocked {
            assert_eq!(code, Some(u32::from(MarketError::BondInUse)), "{}: a request beyond what is unlocked", self.at);
            self.paths.bond_requests_in_use += 1;
        }
        if did.ok() {
            let withdraw_at = self.m.account::<Bond>(&self.bond_key(pi, token)).await.withdraw_at;
            if amount == 0 {
                assert_eq!(withdraw_at, 0, "{}: a cancelled request keeps a time", self.at);
                self.paths.bond_requests_cancelled += u64::from(model.pending > 0);
            } else {
                assert!((before + cooldown..=after + cooldown).contains(&withdraw_at), "{}: withdrawal at {withdraw_at}, cool-down {cooldown} from {before}", self.at);
            }
            let bond = &mut self.bonds[pi][t];
            if !token {
                self.paths.bond_gifts_counted += u64::from(bond.uncounted > 0);
                bond.held += bond.uncounted;
                bond.uncounted = 0;
            }
            bond.pending = amount;
            bond.withdraw_at = withdraw_at;
            self.paths.bond_requests += 1;
        }
        did
    }

    /// withdraw_bond: the pending withdrawal, once its cool-down has passed, goes to the provider's wallet
    /// or token account (counting any gift into the bond first). Nothing pending, too early, a frozen bond
    /// account or a wallet that could not hold the lamports: refused.
    async fn withdraw_bond(&mut self, pi: usize, token: bool) -> Did {
        let provider = self.providers[pi].insecure_clone();
        let (pay, t) = (self.bond_pay(token), usize::from(token));
        let model = self.bonds[pi][t];
        let wallet = self.m.lamports(&provider.pubkey()).await;
        let tokens = self.m.tokens_of(&provider.pubkey(), &self.token).await;
        let now = self.m.now().await;
        let (did, code) = self.send_for_error(builders::withdraw_bond(&provider.pubkey(), &pay), &provider, Action::WithdrawBond).await;
        let at = &self.at;
        let named = |error: MarketError| Some(u32::from(error));
        if !model.created {
            assert!(!did.ok(), "{at}: withdrew from a bond that does not exist");
        } else if model.pending == 0 {
            assert_eq!(code, named(MarketError::NoBondWithdrawal), "{at}: a withdrawal never requested");
        } else if now + 5 < model.withdraw_at {
            // (The cluster clock moves with wall time too: a few seconds either side are not asserted.)
            assert_eq!(code, named(MarketError::BondCoolingDown), "{at}: a withdrawal {}s early", model.withdraw_at - now);
            self.paths.bond_withdrawals_early += 1;
        } else if now >= model.withdraw_at {
            if token {
                assert_eq!(did.ok(), !model.frozen, "{at}: a withdrawal from a token bond (frozen: {})", model.frozen);
            } else if wallet + model.pending < self.rent.wallet {
                assert_eq!(code, named(MarketError::RecipientNotRentExempt), "{at}: a withdrawal a wallet of {wallet} could not hold");
            } else {
                assert!(did.ok(), "{at}: a due withdrawal of {} refused with {code:?}", model.pending);
            }
        }
        if did.ok() {
            let gained = if token {
                self.m.tokens_of(&provider.pubkey(), &self.token).await - tokens
            } else {
                self.m.lamports(&provider.pubkey()).await - wallet
            };
            assert_eq!(gained, model.pending, "{}: the provider gains exactly its pending withdrawal", self.at);
            let bond = &mut self.bonds[pi][t];
            self.paths.bond_gifts_counted += u64::from(bond.uncounted > 0);
            bond.held = bond.held + bond.uncounted - bond.pending;
            (bond.uncounted, bond.pending, bond.withdraw_at) = (0, 0, 0);
            self.paths.bond_withdrawals += 1;
        }
        did
    }

    /// A stranger gives a bond lamports (from outside the program; before the bond exists, at least what
    /// a new account needs) or tokens (to a token bond's unfrozen account).
    async fn gift_to_bond(&mut self, pi: usize, token: bool, rng: &mut StdRng) {
        let model = self.bonds[pi][usize::from(token)];
        if token {
            if !model.created || model.frozen {
                return;
            }
            let amount = rng.gen_range(1..=5_000_000);
            self.give_tokens(self.bond_tokens(pi), amount).await;
            self.books.bond_gifts_tokens[pi] += amount;
            self.bonds[pi][1].uncounted += amount;
        } else {
            let key = self.bond_key(pi, false);
            let amount = if self.m.lamports(&key).await > 0 { rng.gen_range(1..=5_000_000) } else { rng.gen_range(self.rent.wallet..=3 * self.rent.bond) };
            self.m.fund_with(&[key], amount).await;
            self.lamports += amount;
            self.books.bond_gifts_lamports[pi] += amount;
            self.bonds[pi][0].uncounted += amount;
        }
        self.paths.bond_gifts += 1;
    }

    /// An action on a random job: mostly one that fits its state, sometimes any, to exercise refusals.
    async fn act_on_a_job(&mut self, rng: &mut StdRng) -> Did {
        let known: Vec<usize> = (0..self.slots.len()).filter(|&i| self.slots[i].last.is_some()).collect();
        let i = known[rng.gen_range(0..known.len())];
        let key = self.slots[i].key;
        let job = self.slots[i].last.expect("posted job");
        let status = if rng.gen_bool(0.85) { job.status().unwrap() } else { random_status(rng) };
        let client = self.client_of(&job);
        let keeper = self.stranger.insecure_clone();
        let admin = self.m.admin();
        let provider =
            if job.provider == Pubkey::default() { self.providers[rng.gen_range(0..self.providers.len())].insecure_clone() } else { self.provider_of(&job) };
        let p = self.parties(&job, key);
        if matches!(status, JobStatus::Submitted | JobStatus::Disputed) && job.provider != Pubkey::default() && rng.gen_bool(0.2) {
            // The provider walked away from its wallet before being paid: the step starts from there.
            self.drain(&provider).await;
            self.seen = self.snapshot().await;
        }
        match status {
            JobStatus::Open if rng.gen_bool(0.2) => self.send(builders::cancel_job_in(&client.pubkey(), &key, &p.pay), &client, Action::Cancel).await,
            JobStatus::Open => self.assign(rng, &job, key).await,
            JobStatus::Assigned => match rng.gen_range(0..20) {
                0..=10 => self.send(builders::start_job(&provider.pubkey(), &key), &provider, Action::Start).await,
                11..=13 => self.send(builders::decline_job_in(&provider.pubkey(), &key, &job.payment_mint), &provider, Action::Decline).await,
                14..=16 => {
                    // Half the time the client waits out the provider's start first.
                    if rng.gen_bool(0.5) {
                        self.m.warp(rng.gen_range(i64::from(TAKE_BACK_AFTER_SECS)..900)).await;
                    }
                    self.send(builders::take_back_job_in(&client.pubkey(), &key, &provider.pubkey(), &job.payment_mint), &client, Action::TakeBack).await
                }
                17 => self.extend(rng, &job, key).await,
                _ => self.send(builders::expire_job(&keeper.pubkey(), &p), &keeper, Action::Expire).await,
            },
            JobStatus::Running => match rng.gen_range(0..5) {
                0 | 1 => {
                    // Sometimes a short run, whose small payout an emptied wallet could not hold.
                    if rng.gen_bool(0.4) {
                        self.m.warp(rng.gen_range(1..300)).await;
                    }
                    self.send(builders::submit_result(&provider.pubkey(), &key, [7; 32]), &provider, Action::Submit).await
                }
                // Refused: only a submitted result can be disputed.
                2 => self.send(builders::dispute_job(&client.pubkey(), &key), &client, Action::Dispute).await,
                3 => self.extend(rng, &job, key).await,
                _ => self.send(builders::expire_job(&keeper.pubkey(), &p), &keeper, Action::Expire).await,
            },
            JobStatus::Submitted => match rng.gen_range(0..4) {
                0 => {
                    let rating = Some(rng.gen_range(0..=6)).filter(|_| rng.gen_bool(0.8));
                    self.send(builders::complete_and_pay(&p, rating), &client, Action::Complete).await
                }
                1 => self.send(builders::finalize_job(&keeper.pubkey(), &p), &keeper, Action::Finalize).await,
                2 => self.send(builders::dispute_job(&client.pubkey(), &key), &client, Action::Dispute).await,
                _ => self.send(builders::complete_and_pay(&p, Some(5)), &client, Action::Complete).await,
            },
            JobStatus::Disputed if rng.gen_bool(0.6) => {
                // Splits across the whole range (some invalid), and often a sliver to the provider.
                let bps = if rng.gen_bool(0.3) { rng.gen_range(1..=300) } else { rng.gen_range(0..=10_500) };
                self.ruling = Some(bps);
                self.send(builders::resolve_dispute(&admin.pubkey(), &p, bps), &admin, Action::Resolve).await
            }
            JobStatus::Disputed => self.send(builders::expire_job(&keeper.pubkey(), &p), &keeper, Action::Expire).await,
            JobStatus::Completed | JobStatus::Expired | JobStatus::Resolved => {
                self.send(builders::close_job(&client.pubkey(), &key), &client, Action::Close).await
            }
        }
    }

    /// The client adds time to its job (sometimes none, or past the longest duration: refused), or a
    /// stranger tries to.
    async fn extend(&mut self, rng: &mut StdRng, job: &Job, key: Pubkey) -> Did {
        let signer = if rng.gen_bool(0.9) { self.client_of(job) } else { self.stranger.insecure_clone() };
        let added = match rng.gen_range(0..10) {
            0 => 0,
            1 => MAX_JOB_DURATION_SECS,
            _ => rng.gen_range(1..=MAX_EXTENSION_SECS),
        };
        let pay = self.pay_of(job);
        let mut ix = builders::extend_job_in(&job.client, &key, &pay, added);
        ix.accounts[0].pubkey = signer.pubkey();
        self.send(ix, &signer, Action::Extend).await
    }

    /// A random signer assigns an open job to a random provider at a price bound it saw. It may succeed
    /// only with the provider's consent: the provider itself, or the client or matcher it opted in to.
    async fn assign(&mut self, rng: &mut StdRng, job: &Job, key: Pubkey) -> Did {
        let client = self.client_of(job);
        let mut candidate = self.providers[rng.gen_range(0..self.providers.len())].insecure_clone();
        let mut takes_it_itself = false;
        if job.is_bonded() && rng.gen_bool(0.5) {
            // Half the time a provider whose bond could cover a bonded job takes it, if one can.
            let able: Vec<&Keypair> = (self.providers.iter())
                .filter(|p| bond_in(&self.seen, &pda::bond(&p.pubkey(), &job.payment_mint)).is_some_and(|b| b.free() >= job.min_bond))
                .collect();
            if !able.is_empty() {
                candidate = able[rng.gen_range(0..able.len())].insecure_clone();
                takes_it_itself = true;
            }
        }
        let matcher = self.m.matcher.insecure_clone();
        let assigner = match rng.gen_range(0..4) {
            _ if takes_it_itself => candidate.insecure_clone(),
            0 => client.insecure_clone(),
            1 => candidate.insecure_clone(),
            2 => matcher.insecure_clone(),
            _ => self.stranger.insecure_clone(),
        };
        let bound = if rng.gen_bool(0.7) { ANY_PRICE } else { rng.gen_range(0..60_000_000) };
        let policy = self.provider_state(&candidate.pubkey()).await.assignment;
        let pay = self.pay_of(job);
        let ix = builders::assign_job_in(&assigner.pubkey(), &client.pubkey(), &key, &candidate.pubkey(), &pay, bound);
        // What the candidate's bond in the job's currency has free, if it has one: what the last step left.
        let free = bond_in(&self.seen, &pda::bond(&candidate.pubkey(), &job.payment_mint)).map(|b| b.free());
        let (did, code) = self.send_for_error(ix, &assigner, Action::Assign).await;
        let want_of_bond = [MarketError::BondTooSmall, MarketError::WrongBond].map(u32::from);
        if job.is_bonded() {
            // Checked last of all: whatever else would refuse the assignment refuses it first.
            if code == Some(want_of_bond[0]) {
                assert!(free.is_some_and(|f| f < job.min_bond), "{}: BondTooSmall with {free:?} free for {}", self.at, job.min_bond);
            }
            if code == Some(want_of_bond[1]) {
                assert_eq!(free, None, "{}: WrongBond with a bond", self.at);
            }
            if did.ok() {
                assert!(free.is_some_and(|f| f >= job.min_bond), "{}: assigned with {free:?} free for {}", self.at, job.min_bond);
                self.paths.bonded_assigned += 1;
            } else if code.is_some_and(|c| want_of_bond.contains(&c)) {
                self.paths.bonded_refused += 1;
            }
        } else {
            assert!(!code.is_some_and(|c| want_of_bond.contains(&c)), "{}: a job without a bond refused for its bond", self.at);
        }
        if did.ok() {
            let by = assigner.pubkey();
            let consent = by == candidate.pubkey()
                || (by == matcher.pubkey() && policy & ASSIGN_BY_MATCHER != 0)
                || (by == client.pubkey() && policy & ASSIGN_BY_CLIENTS != 0);
            assert!(consent, "{}: {by} assigned a job to a provider with policy {policy} that did not consent", self.at);
            let assigned = self.job(&key).await.expect("assigned job");
            assert!(assigned.agreed_price_per_hour <= bound, "{}: assigned above the price the assigner saw", self.at);
        }
        did
    }

    // ---- After each step ----

    /// Everything checked after a step, from one read of every tracked account: balances, then what
    /// changed, then the state, then the exits. The ledger when the step's transaction was sent is
    /// `self.seen`: what the last step left, or a fresh read where something outside the program moved
    /// lamports since.
    async fn after(&mut self, did: &Did) {
        let before = std::mem::take(&mut self.seen);
        let now = self.snapshot().await;
        assert_eq!(now.total_lamports(), self.lamports, "{}: lamports not conserved ({did:?})", self.at);
        assert_eq!(self.total_tokens(&now), self.tokens, "{}: tokens not conserved ({did:?})", self.at);
        if did.failed() {
            // Not a lamport, a token, nor a byte of any job, provider or profile.
            // (Accounts of a slot retired since are no longer read: they held nothing and still cannot.)
            for (key, account) in &before.accounts {
                if let Some(after) = now.accounts.get(key) {
                    assert!(after == account, "{}: a failed transaction changed {key} ({did:?}): {account:?} -> {after:?}", self.at);
                }
            }
        }
        self.observe(&before, &now, did);
        self.check_state(&now);
        self.check_exits().await;
        // A closed job whose vault is checked empty can hold nothing again: stop reading its accounts.
        for slot in &mut self.slots {
            slot.retired |= slot.posted && slot.last.is_none() && !slot.stranded();
        }
        self.seen = now;
    }

    /// Follows each job from its state before the step to its state now, keeping the books and the
    /// statistics models.
    fn observe(&mut self, before: &Snapshot, now: &Snapshot, did: &Did) {
        for i in 0..self.slots.len() {
            if self.slots[i].retired {
                continue;
            }
            let job = now.read::<Job>(&self.slots[i].key);
            match (self.slots[i].last, job) {
                (None, Some(job)) => self.posted(i, &job, now),
                (Some(job), None) if job.is(JobStatus::Open) => self.cancelled(i, &job),
                (Some(job), None) => assert!(job.status().unwrap().is_final(), "{}: a live job vanished", self.at),
                (Some(b), Some(a)) => self.changed(i, &b, &a, before, did),
                (None, None) => {}
            }
            self.slots[i].last = job;
        }
        // Pair records appear at a provider and client's first counted work, paid by the settlement's signer.
        for pair in self.pairs() {
            let rent = now.lamports(&pair);
            if before.lamports(&pair) == 0 && rent > 0 {
                let Did::Sent { signer, .. } = did else { panic!("{}: a pair record appeared outside the program", self.at) };
                *self.books.pair_rent.entry(*signer).or_default() += rent;
            }
        }
    }

    fn posted(&mut self, i: usize, job: &Job, now: &Snapshot) {
        let market: Market = now.read(&pda::market()).expect("market");
        let slot = &mut self.slots[i];
        slot.posted = true;
        slot.token = job.is_token_job();
        slot.terms = Some((market.windows, market.fee_bps));
        slot.slash_bps = market.slash_bps;
        if slot.precreated && !slot.token {
            self.paths.stranded += 1;
        }
        let profile = &mut self.profiles[slot.client];
        profile.next_job_id += 1;
        profile.jobs_posted = profile.jobs_posted.saturating_add(1);
    }

    fn cancelled(&mut self, i: usize, job: &Job) {
        self.paths.cancelled += 1;
        let ci = self.slots[i].client;
        let profile = &mut self.profiles[ci];
        profile.jobs_cancelled = profile.jobs_cancelled.saturating_add(1);
        if !job.is_token_job() {
            profile.total_refunded = profile.total_refunded.saturating_add(job.escrow);
        }
        self.returned_to_client(i);
    }

    /// A job that still exists moved from `b` to `a`.
    fn changed(&mut self, i: usize, b: &Job, a: &Job, before: &Snapshot, did: &Did) {
        let ci = self.slots[i].client;
        if !a.is_token_job() {
            let profile = &mut self.profiles[ci];
            profile.total_refunded = profile.total_refunded.saturating_add(a.client_refund - b.client_refund);
        }
        let (from, to) = (b.status().unwrap(), a.status().unwrap());
        if to.is_final() && !from.is_final() {
            self.settled(i, b, a, before);
        }
        match (from, to) {
            (JobStatus::Submitted, JobStatus::Disputed) => {
                self.paths.disputed += 1;
                let profile = &mut self.profiles[ci];
                profile.jobs_disputed = profile.jobs_disputed.saturating_add(1);
            }
            (JobStatus::Assigned, JobStatus::Assigned) | (JobStatus::Running, JobStatus::Running) if a.duration_secs != b.duration_secs => {
                // Extended: the added time escrowed at the agreed price, the run's deadlines moved by it.
                assert!(did.succeeded(Action::Extend), "{}: a job's duration changed by {did:?}", self.at);
                let cost = |secs: u32| cost_for(a.agreed_price_per_hour, secs.into()).expect("cost");
                assert!(a.duration_secs > b.duration_secs && a.duration_secs <= MAX_JOB_DURATION_SECS, "{}: extended duration", self.at);
                assert_eq!(a.escrow - b.escrow, cost(a.duration_secs) - cost(b.duration_secs), "{}: escrow of the added time", self.at);
                let added = i64::from(a.duration_secs - b.duration_secs);
                if to == JobStatus::Running {
                    assert_eq!((a.run_deadline, a.grace_deadline), (b.run_deadline + added, b.grace_deadline + added), "{}: moved deadlines", self.at);
                }
                self.paths.extended += 1;
            }
            (JobStatus::Assigned, JobStatus::Open) => {
                // Reopened with the highest maximum price the escrow left still covers, never above the old one.
                let cost = |price: u64| compute_market::math::pricing::cost_for(price, b.duration_secs.into());
                let max = a.max_price_per_hour;
                assert!(max <= b.max_price_per_hour && cost(max).is_some_and(|c| c <= b.escrow), "{}: reopened above its escrow", self.at);
                assert!(max == b.max_price_per_hour || cost(max + 1).map_or(true, |c| c > b.escrow), "{}: reopened below what its escrow covers", self.at);
                assert_eq!((a.escrow, a.provider), (b.escrow, Pubkey::default()), "{}: reopened job", self.at);
                if did.succeeded(Action::Decline) {
                    self.paths.declined += 1;
                } else {
                    assert!(did.succeeded(Action::TakeBack), "{}: a job reopened by {did:?}", self.at);
                    self.paths.taken_back += 1;
                }
            }
            _ => {}
        }
    }

    /// A job reached a final state: checks its split, books its payouts and updates the statistics
    /// models. A lamport payout the provider's wallet could not hold (below its rent-exempt minimum
    /// after it) is held on the Provider account.
    fn settled(&mut self, i: usize, b: &Job, a: &Job, before: &Snapshot) {
        let ci = self.slots[i].client;
        let pi = self.provider_index(&a.provider);
        let (payout, fee) = (a.provider_payout, a.fee);
        let status = a.status().unwrap();
        self.check_split(i, b, a);
        if a.is_token_job() {
            self.books.client_paid_tokens[ci] += payout + fee;
            self.books.provider_tokens[pi] += payout;
            self.books.token_fees += fee;
        } else {
            self.books.client_paid_lamports[ci] += payout + fee;
            self.books.provider_lamports[pi] += payout;
            self.books.lamport_fees += fee;
            let profile = &mut self.profiles[ci];
            profile.total_spent = profile.total_spent.saturating_add(payout).saturating_add(fee);
            profile.fees_paid = profile.fees_paid.saturating_add(fee);
            let wallet = before.lamports(&a.provider);
            let held = payout > 0 && wallet + payout < self.rent.wallet;
            let model = &mut self.provider_models[pi];
            model.total_earned = model.total_earned.saturating_add(payout);
            model.fees_owed += fee;
            if held {
                model.earnings_owed += payout;
                self.paths.earnings_held += 1;
            }
        }
        let profile = &mut self.profiles[ci];
        match status {
            JobStatus::Completed => {
                self.paths.completed += 1;
                profile.jobs_completed = profile.jobs_completed.saturating_add(1);
            }
            JobStatus::Expired => {
                self.paths.expired += 1;
                profile.jobs_expired = profile.jobs_expired.saturating_add(1);
                if matches!(b.status().unwrap(), JobStatus::Assigned | JobStatus::Running) {
                    let model = &mut self.provider_models[pi];
                    model.jobs_failed = model.jobs_failed.saturating_add(1);
                }
            }
            _ => self.paths.resolved += 1,
        }
        // The provider failed the job: not started in time, no result by the deadline, a dispute lost.
        let failed = match (b.status().unwrap(), status) {
            (JobStatus::Assigned | JobStatus::Running, JobStatus::Expired) => true,
            (JobStatus::Disputed, JobStatus::Resolved) => self.ruling.take().expect("the ruling that resolved the dispute") < DISPUTE_LOSS_BPS,
            _ => false,
        };
        if b.is_bonded() && failed {
            self.slashed(i, pi, b);
        }
        self.returned_to_client(i);
    }

    /// A bonded job's provider failed it: `Job::slash` of its minimum bond leaves the provider's bond for
    /// the client, unless the bond's token account is frozen (then the lock is released unslashed).
    fn slashed(&mut self, i: usize, pi: usize, job: &Job) {
        let ci = self.slots[i].client;
        let token = job.is_token_job();
        let bond = &mut self.bonds[pi][usize::from(token)];
        if token && bond.frozen {
            self.paths.slashes_frozen_released += 1;
            return;
        }
        let slash = job.slash();
        assert_eq!(u128::from(slash), u128::from(job.min_bond) * u128::from(self.slots[i].slash_bps) / 10_000, "{}: slash at the job's share", self.at);
        bond.held -= slash;
        bond.slashed = bond.slashed.saturating_add(slash);
        if slash == 0 {
            return;
        }
        if token {
            self.books.client_slashed_tokens[ci] += slash;
            self.books.bond_slashed_tokens[pi] += slash;
            self.paths.slashes_tokens += 1;
        } else {
            self.books.client_slashed_lamports[ci] += slash;
            self.books.bond_slashed_lamports[pi] += slash;
            self.paths.slashes_lamports += 1;
        }
    }

    /// The fee is the job's own fee (fixed at posting) on what was paid for work, whatever the market
    /// charges now; accepted work pays the agreed price for the time worked (capped at the duration);
    /// a dispute nobody ruled on pays the provider side half of that.
    fn check_split(&mut self, i: usize, b: &Job, a: &Job) {
        let at = &self.at;
        let (_, fee_bps) = self.slots[i].terms.expect("terms recorded at posting");
        let (payout, fee) = (a.provider_payout, a.fee);
        let spent = payout + fee;
        assert_eq!(u128::from(fee), u128::from(spent) * u128::from(fee_bps) / 10_000, "{at}: fee at the job's {fee_bps} bps");
        assert_eq!(spent + a.client_refund - b.client_refund, b.escrow, "{at}: the split covers the escrow exactly");
        let worked = u64::try_from(b.submitted_at - b.started_at).unwrap_or(0).min(b.duration_secs.into());
        let work = cost_for(b.agreed_price_per_hour, worked).expect("cost");
        match (b.status().unwrap(), a.status().unwrap()) {
            (JobStatus::Submitted, JobStatus::Completed) => assert_eq!(spent, work, "{at}: payment for the time worked"),
            (JobStatus::Disputed, JobStatus::Expired) => {
                assert_eq!(spent, work / 2, "{at}: the default split of a dispute nobody ruled on");
                self.paths.disputes_defaulted += 1;
            }
            (JobStatus::Assigned | JobStatus::Running, JobStatus::Expired) => assert_eq!(spent, 0, "{at}: a failed job refunds everything"),
            _ => {}
        }
    }

    /// A token job's exit pays the client whatever its vault held beyond the escrow, and the rent of a
    /// vault token account someone else created.
    fn returned_to_client(&mut self, i: usize) {
        let slot = &mut self.slots[i];
        if slot.was_frozen {
            self.paths.frozen_settled += 1;
        }
        if !slot.token {
            return;
        }
        if slot.donated > 0 {
            self.paths.donations_settled += 1;
        }
        self.books.client_donations[slot.client] += slot.donated;
        self.books.client_gifts[slot.client] += slot.gift;
        slot.donated = 0;
        slot.gift = 0;
    }

    /// The state every step must leave: vaults holding exactly what their jobs say, provider accounts
    /// holding exactly rent and what they owe, capacity and statistics as modelled, and jobs keeping
    /// their terms.
    fn check_state(&self, now: &Snapshot) {
        let at = &self.at;
        let mut held: BTreeMap<Pubkey, (Resources, u32)> = BTreeMap::new();
        for slot in self.slots.iter().filter(|s| !s.retired) {
            let key = slot.key;
            let vault = now.lamports(&pda::vault(&key));
            let vault_tokens_address = self.vault_tokens(&key);
            let vault_tokens = now.tokens(&vault_tokens_address);
            // Lamports sent early to the vault token address of a job then paid in lamports (or not yet
            // posted) stay there, and no token account is made; a live token job's vault token account
            // holds its rent, or what was sent there if more.
            let early = match slot.live() {
                _ if slot.stranded() => slot.gift,
                Some(_) if slot.token => self.rent.vault_tokens.max(slot.gift),
                _ => 0,
            };
            assert_eq!(now.lamports(&vault_tokens_address), early, "{at}: lamports at the vault token address of {key}");
            let Some(job) = slot.last else {
                assert_eq!((vault, vault_tokens), (0, None), "{at}: job {key} gone or not posted, yet its vault holds something");
                continue;
            };
            let status = job.status().unwrap();
            if status.is_final() {
                assert_eq!((job.escrow, vault, vault_tokens), (0, 0, None), "{at}: final job {key} holds escrow");
            } else if slot.token {
                // A token vault holds the escrow and whatever was donated to it; its own account only rent.
                assert_eq!((vault, vault_tokens), (self.rent.vault, Some(job.escrow + slot.donated)), "{at}: token vault of {key}");
            } else {
                assert_eq!((vault, vault_tokens), (self.rent.vault + job.escrow, None), "{at}: lamport vault of {key} differs from its escrow");
            }
            // The job's terms are the market's when it was posted, whatever the market says now, and
            // every deadline follows from them.
            let (windows, fee_bps) = slot.terms.expect("terms recorded at posting");
            assert_eq!((job.windows, job.fee_bps), (windows, fee_bps), "{at}: job {key} lost its terms");
            assert_eq!((job.min_bond, job.slash_bps), (slot.min_bond, slot.slash_bps), "{at}: job {key} lost its bond terms");
            check_deadlines(&job, at);
            if status == JobStatus::Open {
                let covered = cost_for(job.max_price_per_hour, job.duration_secs.into()).expect("cost");
                assert!(covered <= job.escrow, "{at}: open job {key} offers more than its escrow covers");
            }
            if !status.is_final() {
                assert!(job.escrow > 0 || job.agreed_price_per_hour == 0, "{at}: live job {key} without escrow");
            }
            if matches!(status, JobStatus::Assigned | JobStatus::Running | JobStatus::Submitted | JobStatus::Disputed) {
                let entry = held.entry(job.provider).or_insert((Resources::default(), 0));
                entry.0 = entry.0.checked_add(&job.requirements).expect("sum of requirements");
                entry.1 += 1;
            }
        }
        for (pi, p) in self.provider_keys().into_iter().enumerate() {
            let state: Provider = now.read(&pda::provider(&p)).expect("provider");
            // A provider account holds its rent and what it owes the treasury and its wallet, nothing else.
            assert_eq!(now.lamports(&pda::provider(&p)), self.rent.provider + state.fees_owed + state.earnings_owed, "{at}: provider account of {p}");
            let (in_use, jobs) = held.get(&p).copied().unwrap_or_default();
            assert!(state.free.fits_in(&state.capacity), "{at}: free capacity above the offer");
            assert_eq!(state.capacity.checked_sub(&state.free), Some(in_use), "{at}: reserved capacity differs from jobs in flight");
            assert_eq!(state.active_jobs, jobs, "{at}: active job count");
            let actual = ProviderModel { total_earned: state.total_earned, jobs_failed: state.jobs_failed, fees_owed: state.fees_owed, earnings_owed: state.earnings_owed };
            assert_eq!(actual, self.provider_models[pi], "{at}: provider {p} statistics");
        }
        for (ci, c) in self.client_keys().into_iter().enumerate() {
            let profile: ClientProfile = now.read(&pda::client_profile(&c)).expect("client profile");
            assert!(
                bytemuck::bytes_of(&profile) == bytemuck::bytes_of(&self.profiles[ci]),
                "{at}: client profile {profile:?} differs from its model {:?}",
                self.profiles[ci]
            );
        }
        assert_eq!(now.read::<Market>(&pda::market()).expect("market").treasury, self.treasury, "{at}: treasury");
        for pi in 0..self.providers.len() {
            for token in [false, true] {
                self.check_bond(now, pi, token);
            }
        }
    }

    /// A bond as modelled: what it holds, counts, locks for which jobs, has pending and has slashed.
    fn check_bond(&self, now: &Snapshot, pi: usize, token: bool) {
        let at = &self.at;
        let model = self.bonds[pi][usize::from(token)];
        let key = self.bond_key(pi, token);
        let (locked, jobs) = self.bond_in_use(pi, token);
        let tokens = token.then(|| now.tokens(&self.bond_tokens(pi)));
        let Some(bond) = bond_in(now, &key) else {
            assert!(!model.created, "{at}: bond {key} vanished");
            assert_eq!((locked, jobs), (0, 0), "{at}: jobs in flight lock a bond {key} that does not exist");
            // Only a gift of lamports sits at the address of a lamport bond not made yet.
            assert_eq!((now.lamports(&key), tokens), (if token { 0 } else { model.uncounted }, token.then_some(None)), "{at}: bond {key} not made yet");
            return;
        };
        assert!(model.created, "{at}: bond {key} appeared unmodelled");
        assert!(bond.locked + bond.pending <= bond.held, "{at}: bond {key} locks and owes more than it holds: {bond:?}");
        let (mint, tokens_key) = if token { (self.mint().0, self.bond_tokens(pi)) } else { (Pubkey::default(), Pubkey::default()) };
        assert_eq!((bond.provider, bond.mint, bond.tokens), (self.providers[pi].pubkey(), mint, tokens_key), "{at}: bond {key} identity");
        assert_eq!(
            (bond.held, bond.locked, bond.jobs_locked, bond.pending, bond.withdraw_at, bond.slashed),
            (model.held, locked, jobs, model.pending, model.withdraw_at, model.slashed),
            "{at}: bond {key} (held, locked, jobs locked, pending, withdraw at, slashed) differs from its model {model:?}"
        );
        if token {
            assert_eq!(now.lamports(&key), self.rent.bond, "{at}: token bond {key} holds lamports beyond its rent");
            assert_eq!(tokens, Some(Some(model.held + model.uncounted)), "{at}: token bond {key} holds what it counts and gifts");
        } else {
            assert_eq!(now.lamports(&key), self.rent.bond + model.held + model.uncounted, "{at}: lamport bond {key} holds rent, what it counts and gifts");
        }
    }

    /// The immediate way out of a job's state, taken by the party it belongs to: the client cancels an
    /// open job, the provider declines an assigned one or submits a running one in time (otherwise anyone
    /// expires it), the client accepts a result, the admin rules on a dispute. Returns the instruction,
    /// its signer, and whether it moves escrow.
    fn exit_of(&self, job: &Job, key: Pubkey, submit_in_time: bool) -> (Instruction, Keypair, bool) {
        let p = self.parties(job, key);
        match job.status().unwrap() {
            JobStatus::Open => {
                let client = self.client_of(job);
                (builders::cancel_job_in(&client.pubkey(), &key, &p.pay), client, true)
            }
            JobStatus::Assigned => {
                let provider = self.provider_of(job);
                (builders::decline_job_in(&provider.pubkey(), &key, &job.payment_mint), provider, false)
            }
            JobStatus::Running if submit_in_time => {
                let provider = self.provider_of(job);
                (builders::submit_result(&provider.pubkey(), &key, [9; 32]), provider, false)
            }
            JobStatus::Running => (builders::expire_job(&self.stranger.pubkey(), &p), self.stranger.insecure_clone(), true),
            JobStatus::Submitted => (builders::complete_and_pay(&p, Some(4)), self.client_of(job), true),
            JobStatus::Disputed => {
                let admin = self.m.admin();
                (builders::resolve_dispute(&admin.pubkey(), &p, 5_000), admin, true)
            }
            final_state => panic!("no exit from {final_state:?}"),
        }
    }

    /// Every job not yet final can leave its state right now: its exit succeeds in simulation. While
    /// its vault is frozen, an exit that moves escrow fails by name (EscrowFrozen) and one that moves
    /// none still succeeds.
    async fn check_exits(&mut self) {
        let now = self.m.now().await;
        for i in 0..self.slots.len() {
            let Some(job) = self.slots[i].live() else { continue };
            let (key, frozen) = (self.slots[i].key, self.slots[i].frozen);
            let in_time = now <= job.grace_deadline;
            let (ix, signer, moves_escrow) = self.exit_of(&job, key, in_time);
            let mut result = self.simulate(ix, &signer).await;
            let mut moves = moves_escrow;
            let too_late_or_early = [MarketError::DeadlinePassed, MarketError::NotExpirable].map(u32::from);
            let crossed = matches!(result, Err(TransactionError::InstructionError(1, InstructionError::Custom(code))) if too_late_or_early.contains(&code));
            if crossed && job.is(JobStatus::Running) && (now - job.grace_deadline).abs() <= 5 {
                // The clock crossed the grace deadline while checking: the other exit applies.
                let (ix, signer, other_moves) = self.exit_of(&job, key, !in_time);
                result = self.simulate(ix, &signer).await;
                moves = other_moves;
            }
            let status = job.status().unwrap();
            if frozen && moves {
                let escrow_frozen = u32::from(MarketError::EscrowFrozen);
                assert!(
                    matches!(result, Err(TransactionError::InstructionError(1, InstructionError::Custom(code))) if code == escrow_frozen),
                    "{}: the exit of {status:?} job {key} with a frozen vault gave {result:?}, not EscrowFrozen",
                    self.at
                );
                self.paths.frozen_refusals += 1;
            } else {
                assert_eq!(result, Ok(()), "{}: {status:?} job {key} has no way out (frozen: {frozen})", self.at);
            }
        }
    }

    // ---- End of a sequence ----

    /// Sends what must succeed, with every check after it.
    async fn must(&mut self, ix: Instruction, signer: &Keypair, action: Action) {
        self.seen = self.snapshot().await;
        if let Err(err) = self.m.send(&[ix], &[signer]).await {
            panic!("{}: {action:?} failed: {err:?}", self.at);
        }
        let did = Did::Sent { ok: true, signer: signer.pubkey(), action };
        self.after(&did).await;
    }

    /// Thaws every frozen vault, lets every window pass, and ends every job by permissionless exits or
    /// by its client alone; then collects every fee, withdraws every held payout and every bond, and
    /// checks that each party's balance comes to what the jobs paid and the bonds gave and lost.
    async fn finish(&mut self, rng: &mut StdRng) {
        let pay = self.token;
        for i in 0..self.slots.len() {
            if self.slots[i].frozen {
                let account = self.vault_tokens(&self.slots[i].key);
                self.m.set_frozen(&account, &pay, false).await;
                self.slots[i].frozen = false;
            }
        }
        self.m.warp(PAST_EVERY_WINDOW).await;
        let keeper = self.stranger.insecure_clone();
        for i in 0..self.slots.len() {
            while let Some(job) = self.slots[i].live() {
                let key = self.slots[i].key;
                let client = self.client_of(&job);
                let p = self.parties(&job, key);
                match job.status().unwrap() {
                    JobStatus::Open => self.must(builders::cancel_job_in(&client.pubkey(), &key, &p.pay), &client, Action::Cancel).await,
                    // A bonded job is expired: its provider failed it, and its bond pays.
                    JobStatus::Assigned if !job.is_bonded() && rng.gen_bool(0.5) => {
                        self.must(builders::take_back_job_in(&client.pubkey(), &key, &job.provider, &job.payment_mint), &client, Action::TakeBack).await
                    }
                    JobStatus::Submitted => self.must(builders::finalize_job(&keeper.pubkey(), &p), &keeper, Action::Finalize).await,
                    _ => self.must(builders::expire_job(&keeper.pubkey(), &p), &keeper, Action::Expire).await,
                }
            }
            if let Some(job) = self.slots[i].last {
                let client = self.client_of(&job);
                self.must(builders::close_job(&client.pubkey(), &self.slots[i].key), &client, Action::Close).await;
            }
        }
        for pi in 0..self.providers.len() {
            let authority = self.providers[pi].pubkey();
            let state = self.provider_state(&authority).await;
            if state.fees_owed > 0 {
                let treasury = self.treasury;
                if self.m.lamports(&treasury).await + state.fees_owed < self.rent.wallet {
                    self.fund_from_outside(treasury, self.rent.wallet).await;
                }
                self.seen = self.snapshot().await;
                let did = self.collect_fees(pi, &keeper, treasury).await;
                self.after(&did).await;
            }
            if state.earnings_owed > 0 {
                if self.m.lamports(&authority).await + state.earnings_owed < self.rent.wallet {
                    self.fund_from_outside(authority, self.rent.wallet).await;
                }
                self.seen = self.snapshot().await;
                let did = self.withdraw_earnings(pi).await;
                self.after(&did).await;
            }
        }
        for pi in 0..self.providers.len() {
            for token in [false, true] {
                self.empty_bond(pi, token).await;
            }
        }
        self.check_books().await;
    }

    /// The provider takes everything out of its bond: the token account thawed, a gift counted (a
    /// lamport gift made before the bond existed, by a first deposit; tokens given to an empty token
    /// bond, by a deposit of one), then all of it requested and withdrawn after the cool-down, twice for
    /// a token bond whose gift only its first withdrawal counted. Nothing but rent stays.
    async fn empty_bond(&mut self, pi: usize, token: bool) {
        let t = usize::from(token);
        let provider = self.providers[pi].pubkey();
        if self.bonds[pi][t].frozen {
            let (account, pay) = (self.bond_tokens(pi), self.token);
            self.m.set_frozen(&account, &pay, false).await;
            self.bonds[pi][t].frozen = false;
            self.seen = self.snapshot().await;
        }
        loop {
            let model = self.bonds[pi][t];
            let all = if token { model.held } else { model.held + model.uncounted };
            if all == 0 && model.uncounted == 0 {
                assert_eq!(model.pending, 0, "{}: a withdrawal pending from an empty bond", self.at);
                return;
            }
            if all == 0 || !model.created {
                let (mint, _) = self.mint();
                if token && !self.m.borsh_account::<PaymentMint>(&pda::payment_mint(&mint)).await.enabled {
                    // Deposits take only an enabled mint: the admin enables it again.
                    let admin = self.m.admin();
                    self.must(builders::set_payment_mint_enabled(&admin.pubkey(), &mint, true), &admin, Action::UpdateMint).await;
                }
                if self.m.lamports(&provider).await < self.rent.bond + self.rent.wallet + 1 {
                    self.fund_from_outside(provider, self.rent.bond + self.rent.wallet + 1).await;
                    self.seen = self.snapshot().await;
                }
                let did = self.deposit_bond(pi, token, 1).await;
                assert!(did.ok(), "{}: a deposit to count a gift", self.at);
                self.after(&did).await;
                continue;
            }
            if model.pending != all {
                let did = self.request_bond_withdrawal(pi, token, all).await;
                assert!(did.ok(), "{}: a request for all of bond {token} of provider {pi}", self.at);
                self.after(&did).await;
            }
            let wait = self.bonds[pi][t].withdraw_at - self.m.now().await;
            self.m.warp(wait.max(0)).await;
            if !token && self.m.lamports(&provider).await + all < self.rent.wallet {
                self.fund_from_outside(provider, self.rent.wallet).await;
                self.seen = self.snapshot().await;
            }
            let did = self.withdraw_bond(pi, token).await;
            assert!(did.ok(), "{}: the withdrawal of all of bond {token} of provider {pi}", self.at);
            self.after(&did).await;
        }
    }

    /// With every job closed and everything owed paid out, each balance is its starting balance plus
    /// what the jobs paid it, less what it paid for work, pair records and what left from outside.
    async fn check_books(&mut self) {
        let now = self.snapshot().await;
        let (at, b, initial) = (&self.at, &self.books, &self.initial);
        let moved = |key: &Pubkey| -> i128 {
            i128::from(now.lamports(key)) - i128::from(initial.lamports(key)) - b.outside.get(key).copied().unwrap_or(0)
        };
        let token_gain = |owner: &Pubkey| -> i128 {
            let account = self.ata(owner);
            i128::from(now.tokens(&account).unwrap_or(0)) - i128::from(initial.tokens(&account).unwrap_or(0))
        };
        let pair_rent = |key: &Pubkey| i128::from(b.pair_rent.get(key).copied().unwrap_or(0));

        // Every job is closed with its vault (checked empty as it closed); only lamports sent early to
        // the vault token address of a job id then used for a lamport job (or never used) remain there.
        for slot in &self.slots {
            assert!(slot.retired || slot.stranded(), "{at}: job {} still open", slot.key);
            if slot.stranded() {
                let address = self.vault_tokens(&slot.key);
                let vault = (now.lamports(&pda::vault(&slot.key)), now.lamports(&address), now.tokens(&address));
                assert_eq!(vault, (0, slot.gift, None), "{at}: early lamports at the vault token address of {}", slot.key);
            }
        }
        // Every client got back everything its jobs did not pay for work, with the donations to its vaults.
        for (ci, c) in self.client_keys().iter().enumerate() {
            // ...and what its providers' failed bonded jobs slashed.
            let expected = -i128::from(b.client_paid_lamports[ci]) - pair_rent(c) + i128::from(b.client_gifts[ci]) + i128::from(b.client_slashed_lamports[ci]);
            assert_eq!(moved(c), expected, "{at}: client {ci} lamports");
            let expected = i128::from(b.client_donations[ci]) - i128::from(b.client_paid_tokens[ci]) + i128::from(b.client_slashed_tokens[ci]);
            assert_eq!(token_gain(c), expected, "{at}: client {ci} tokens");
        }
        // Every provider got every payout, held ones included, and its account keeps only its rent. It
        // took back all it put up as bonds, and what was given to them, less what was slashed; its bond
        // accounts keep only their rent, which it paid.
        for (pi, p) in self.provider_keys().iter().enumerate() {
            let mut bond_rent = 0;
            for token in [false, true] {
                let key = self.bond_key(pi, token);
                let model = self.bonds[pi][usize::from(token)];
                if !model.created {
                    continue;
                }
                let bond = bond_in(&now, &key).expect("bond");
                assert_eq!((bond.held, bond.locked, bond.pending, bond.jobs_locked), (0, 0, 0, 0), "{at}: bond {key} not emptied");
                assert_eq!(now.lamports(&key), self.rent.bond, "{at}: bond account {key} holds only its rent");
                bond_rent += self.rent.bond;
                if token {
                    assert_eq!(now.tokens(&self.bond_tokens(pi)), Some(0), "{at}: token bond {key} holds tokens");
                    assert_eq!(now.lamports(&self.bond_tokens(pi)), self.rent.token_account, "{at}: token bond account of {key}");
                    bond_rent += self.rent.token_account;
                }
            }
            let expected = i128::from(b.provider_lamports[pi]) + i128::from(b.bond_gifts_lamports[pi]) - i128::from(b.bond_slashed_lamports[pi]) - i128::from(bond_rent);
            assert_eq!(moved(p), expected, "{at}: provider {pi} lamports");
            let expected = i128::from(b.provider_tokens[pi]) + i128::from(b.bond_gifts_tokens[pi]) - i128::from(b.bond_slashed_tokens[pi]);
            assert_eq!(token_gain(p), expected, "{at}: provider {pi} tokens");
            assert_eq!(now.lamports(&pda::provider(p)), self.rent.provider, "{at}: provider account {pi} holds only its rent");
        }
        // The treasuries, whichever was current when fees were collected or paid, gained exactly the
        // fees of the settled jobs.
        let treasury_lamports: i128 = self.treasuries.iter().map(|t| moved(&t.pubkey())).sum();
        assert_eq!(b.collected, b.lamport_fees, "{at}: fees collected");
        assert_eq!(treasury_lamports, i128::from(b.lamport_fees), "{at}: lamport fees reaching the treasuries");
        let treasury_tokens: i128 = self.treasuries.iter().map(|t| token_gain(&t.pubkey())).sum();
        assert_eq!(treasury_tokens, i128::from(b.token_fees), "{at}: token fees reaching the treasuries");
        // The keeper and the admin paid only for the pair records their settlements created.
        let (stranger, admin, matcher) = (self.stranger.pubkey(), self.m.admin.pubkey(), self.m.matcher.pubkey());
        assert_eq!(moved(&stranger), -pair_rent(&stranger), "{at}: keeper lamports");
        assert_eq!(moved(&admin), -pair_rent(&admin), "{at}: admin lamports");
        assert_eq!(moved(&matcher), 0, "{at}: matcher lamports");
        assert_eq!(token_gain(&stranger), -i128::from(b.donated), "{at}: donor tokens");
        // Every slash went to a client, whole.
        assert_eq!(b.client_slashed_lamports.iter().sum::<u64>(), b.bond_slashed_lamports.iter().sum::<u64>(), "{at}: lamport slashes");
        assert_eq!(b.client_slashed_tokens.iter().sum::<u64>(), b.bond_slashed_tokens.iter().sum::<u64>(), "{at}: token slashes");
    }
}

/// A provider's bond, read from a snapshot; `None` while the program has not made it.
fn bond_in(snapshot: &Snapshot, key: &Pubkey) -> Option<Bond> {
    snapshot.account(key).filter(|a| a.owner == compute_market::ID)?;
    snapshot.read(key)
}

/// Every deadline a job has is its timestamp plus the window the job took at posting.
fn check_deadlines(job: &Job, at: &str) {
    let w = &job.windows;
    let status = job.status().unwrap();
    if status == JobStatus::Assigned {
        assert_eq!(job.start_deadline, job.assigned_at + i64::from(w.start_window_secs), "{at}: start deadline");
    }
    if job.started_at != 0 {
        assert_eq!(job.run_deadline, job.started_at + i64::from(job.duration_secs), "{at}: run deadline");
        assert_eq!(job.grace_deadline, job.run_deadline + i64::from(w.grace_secs), "{at}: grace deadline");
    }
    if job.submitted_at != 0 {
        assert_eq!(job.review_deadline, job.submitted_at + i64::from(w.review_window_secs), "{at}: review deadline");
    }
    if job.disputed_at != 0 {
        assert_eq!(job.dispute_deadline, job.disputed_at + i64::from(w.dispute_window_secs), "{at}: dispute deadline");
    }
}

fn bond_terms_valid(b: &BondTerms) -> bool {
    (MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&b.cooldown_secs) && b.slash_bps <= MAX_SLASH_BPS
}

/// A cool-down mostly short enough for a sequence to see withdrawals, sometimes the harness's day, now
/// and then out of bounds (to be refused); a slash share across its range and just beyond it.
fn random_bond_terms(rng: &mut StdRng) -> BondTerms {
    let cooldown_secs = match rng.gen_range(0..20) {
        0 => MIN_WINDOW_SECS - 1,
        1 => MAX_WINDOW_SECS + 1,
        2..=5 => BONDS.cooldown_secs,
        _ => rng.gen_range(MIN_WINDOW_SECS..=3_000),
    };
    let slash_bps = match rng.gen_range(0..10) {
        0 => MAX_SLASH_BPS + 1,
        1 => 0,
        2 => MAX_SLASH_BPS,
        _ => rng.gen_range(1..MAX_SLASH_BPS),
    };
    BondTerms { cooldown_secs, slash_bps }
}

fn windows_valid(w: &TimeWindows) -> bool {
    [w.start_window_secs, w.review_window_secs, w.grace_secs, w.dispute_window_secs]
        .iter()
        .all(|s| (MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(s))
}

/// Windows mostly within a few hours; now and then at a bound, or just outside one (to be refused).
fn random_windows(rng: &mut StdRng) -> TimeWindows {
    let mut window = |typical: u32| match rng.gen_range(0..40) {
        0 => MIN_WINDOW_SECS - 1,
        1 => MAX_WINDOW_SECS + 1,
        2 => MAX_WINDOW_SECS,
        3 => MIN_WINDOW_SECS,
        _ => rng.gen_range(MIN_WINDOW_SECS..=typical),
    };
    TimeWindows {
        start_window_secs: window(3_000),
        review_window_secs: window(8_000),
        grace_secs: window(2_000),
        dispute_window_secs: window(20_000),
    }
}

fn random_capacity(rng: &mut StdRng) -> Resources {
    Resources { cpu_cores: rng.gen_range(4..16), ram_gb: rng.gen_range(16..64), storage_gb: rng.gen_range(200..1_000), gpus: rng.gen_range(0..3) }
}

/// Every provider's GPUs are A100 80 GB; a machine without GPUs declares none.
fn hardware_for(capacity: &Resources) -> Hardware {
    if capacity.gpus > 0 {
        HARDWARE
    } else {
        Hardware::default()
    }
}

fn random_rates(rng: &mut StdRng) -> Rates {
    Rates {
        per_core: rng.gen_range(1..2_000_000),
        per_gb_ram: rng.gen_range(1..200_000),
        per_gb_storage: rng.gen_range(1..2_000),
        per_gpu: rng.gen_range(1..30_000_000),
    }
}

fn random_status(rng: &mut StdRng) -> JobStatus {
    [JobStatus::Open, JobStatus::Assigned, JobStatus::Running, JobStatus::Submitted, JobStatus::Disputed, JobStatus::Completed]
        [rng.gen_range(0..6)]
}

/// One seeded sequence: STEPS random steps, each checked, then every job ended and the books balanced.
async fn run_sequence(seed: u64) -> Paths {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut world = World::new(&mut rng, seed).await;
    world.at = format!("seed {seed} opening");
    world.open_bonds(&mut rng).await;
    for step in 0..STEPS {
        world.at = format!("seed {seed} step {step}");
        let did = world.step(&mut rng).await;
        world.paths.steps_ok += usize::from(did.ok());
        world.after(&did).await;
    }
    world.at = format!("seed {seed} end");
    world.finish(&mut rng).await;
    world.paths
}

async fn run_shard(shard: u64) {
    let mut p = Paths::default();
    for seed in (shard..SEQUENCES).step_by(SHARDS as usize) {
        p += run_sequence(seed).await;
    }
    let attempted = (SEQUENCES / SHARDS) as usize * STEPS;
    println!(
        "shard {shard}: {}/{attempted} steps succeeded; jobs completed {}, cancelled {}, expired {}, resolved {}, disputed {} \
         (defaulted {}), declined {}, taken back {}, extended {}; vault accounts made early {} (stranded {}), donations settled {}; frozen {} (exits refused {}), \
         then settled {}; fees collected {}, payouts held {}, withdrawn {}; terms changed mid-job {}, treasury changes {}, \
         wallets drained {}, counters patched {}; bonds: deposits {} (of nothing, refused {}), requests {} (beyond the unlocked, \
         refused {}; cancelled {}), withdrawals {} (too early, refused {}), gifts {} (counted {}), frozen {}, slashes in lamports {} \
         and in tokens {} (released unslashed while frozen {}), bonded jobs assigned {} (refused for want of a bond {})",
        p.steps_ok,
        p.completed,
        p.cancelled,
        p.expired,
        p.resolved,
        p.disputed,
        p.disputes_defaulted,
        p.declined,
        p.taken_back,
        p.extended,
        p.precreated,
        p.stranded,
        p.donations_settled,
        p.frozen,
        p.frozen_refusals,
        p.frozen_settled,
        p.fees_collected,
        p.earnings_held,
        p.earnings_withdrawn,
        p.terms_changed_mid_job,
        p.treasury_changes,
        p.wallets_drained,
        p.counters_patched,
        p.bond_deposits,
        p.bond_deposits_refused,
        p.bond_requests,
        p.bond_requests_in_use,
        p.bond_requests_cancelled,
        p.bond_withdrawals,
        p.bond_withdrawals_early,
        p.bond_gifts,
        p.bond_gifts_counted,
        p.bonds_frozen,
        p.slashes_lamports,
        p.slashes_tokens,
        p.slashes_frozen_released,
        p.bonded_assigned,
        p.bonded_refused,
    );
    // The generator must reach every way a job ends, not just bounce off validation.
    // The cluster clock also moves with wall time, so under load more deadlines pass and more steps
    // are refused; a quarter is far above what a generator bouncing off validation would reach.
    assert!(p.steps_ok * 4 > attempted, "only {} of {attempted} random steps succeeded", p.steps_ok);
    assert!(
        p.completed > 0 && p.cancelled > 0 && p.expired > 0 && p.resolved > 0 && p.disputed > 0 && p.disputes_defaulted > 0,
        "a way to end a job was never reached: {p:?}"
    );
    assert!(p.declined > 0 && p.taken_back > 0, "a way to reopen a job was never reached: {p:?}");
    assert!(p.extended > 0, "no job was ever extended: {p:?}");
    assert!(p.donations_settled > 0 && p.frozen_refusals > 0 && p.frozen_settled > 0 && p.fees_collected > 0 && p.earnings_held > 0, "a money path was never reached: {p:?}");
    assert!(p.terms_changed_mid_job > 0 && p.treasury_changes > 0 && p.counters_patched > 0, "a market change was never reached: {p:?}");
    assert!(
        p.bond_deposits > 0 && p.bond_deposits_refused > 0 && p.bond_requests_in_use > 0 && p.bond_withdrawals > 0 && p.bond_withdrawals_early > 0,
        "a bond's deposit, request or withdrawal path was never reached: {p:?}"
    );
    assert!(p.bond_gifts_counted > 0 && p.bonded_assigned > 0 && p.bonded_refused > 0, "a bond's gift or lock path was never reached: {p:?}");
    assert!(p.slashes_lamports > 0 && p.slashes_tokens > 0, "a slash was never reached: {p:?}");
}

#[tokio::test]
async fn random_sequences_shard_0() {
    run_shard(0).await;
}

#[tokio::test]
async fn random_sequences_shard_1() {
    run_shard(1).await;
}

#[tokio::test]
async fn random_sequences_shard_2() {
    run_shard(2).await;
}

#[tokio::test]
async fn random_sequences_shard_3() {
    run_shard(3).await;
}
