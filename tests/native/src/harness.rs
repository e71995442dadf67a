//! A market running natively in solana-program-test, with helpers that fund parties, send
//! transactions, move the clock, and read balances, accounts and events.
//!
//! Transaction fees are paid by the context's payer, never by a party, so every party's balance
//! changes only by what the program moves and the rent it pays: tests check balances to the lamport.

use std::fmt::Debug;

use anchor_lang::prelude::{Clock, Pubkey};
use anchor_lang::{AccountDeserialize, Discriminator};
use bytemuck::Pod;
use compute_market::state::{BondTerms, TimeWindows};
use compute_market::instructions::InitializeMarketArgs;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::{ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use crate::syscall_bridge;
use crate::{builders, pda};

/// Platform fee used by the default test market: 2.5%.
pub const FEE_BPS: u16 = 250;
pub const WINDOWS: TimeWindows = TimeWindows {
    start_window_secs: 600,
    review_window_secs: 3_600,
    grace_secs: 300,
    dispute_window_secs: 86_400,
};
/// The test market's bond terms: a day's cool-down, a fifth of a failed job's minimum bond slashed.
pub const BONDS: BondTerms = BondTerms { cooldown_secs: 86_400, slash_bps: 2_000 };
/// What each funded party starts with.
pub const STARTING_LAMPORTS: u64 = 1_000_000_000_000;

/// The outcome of a transaction: its logs on success, its error and logs otherwise. (Natively, `msg!`
/// and Anchor's `emit!` write nothing to the transaction's logs; on the sBPF artifact they do.)
pub type TxResult = Result<Vec<String>, TxError>;

/// A failed transaction: the runtime's error, and the logs up to the failure.
#[derive(Debug)]
pub struct TxError {
    pub error: TransactionError,
    pub logs: Vec<String>,
}

/// Which build of the program the suite runs: the native one compiled into the test binary, or the
/// sBPF artifact `make sbf` builds, chosen by setting SBF_OUT_DIR to the folder holding `compute_market.so`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Native,
    Sbf,
}

impl Tier {
    pub fn current() -> Tier {
        if std::env::var_os("SBF_OUT_DIR").is_some() { Tier::Sbf } else { Tier::Native }
    }
}

pub struct TestMarket {
    pub ctx: ProgramTestContext,
    pub admin: Keypair,
    pub treasury: Keypair,
    pub matcher: Keypair,
    nonce: u32,
}

/// The tag of the market's admin, treasury and matcher keys.
const MARKET_KEYS: u8 = 240;

/// The keypair `(tag, index)` names, the same in every run. Figures that depend on the parties' keys (the
/// program searches a pair record's bump when it creates one, about 1,500 CU per bump tried) repeat only
/// with fixed keys: benches and compute budgets use these.
pub fn fixed_keypair(tag: u8, index: u16) -> Keypair {
    let mut secret = [tag; 32];
    secret[..2].copy_from_slice(&index.to_le_bytes());
    Keypair::new_from_array(secret)
}

impl TestMarket {
    /// A fresh ledger with the program loaded, its upgrade authority the admin, and funded admin,
    /// treasury and matcher; no market yet. Their keys are fixed, so figures that search the treasury's
    /// token account bumps (add_payment_mint) repeat.
    pub async fn uninitialized() -> Self {
        let admin = fixed_keypair(MARKET_KEYS, 0);
        let program_test = match Tier::current() {
            Tier::Native => {
                let mut program_test = ProgramTest::new("compute_market", compute_market::ID, Some(compute_market_native::builtin()));
                program_test.prefer_bpf(false);
                // A builtin has no program data of its own: the account naming its upgrade authority stands alone.
                program_test.add_account(pda::program_data(), program_data_account(&admin.pubkey(), &[]));
                program_test
            }
            // `compute_market.so` from SBF_OUT_DIR, deployed under the upgradeable loader as on a cluster.
            Tier::Sbf => {
                let dir = std::env::var("SBF_OUT_DIR").expect("SBF_OUT_DIR");
                let elf = std::fs::read(std::path::Path::new(&dir).join("compute_market.so")).expect("compute_market.so");
                let mut program_test = ProgramTest::default();
                program_test.prefer_bpf(true);
                program_test.add_genesis_account(compute_market::ID, upgradeable_program_account());
                program_test.add_genesis_account(pda::program_data(), program_data_account(&admin.pubkey(), &elf));
                program_test
            }
        };
        let ctx = program_test.start_with_context().await;
        syscall_bridge::install();
        let (treasury, matcher) = (fixed_keypair(MARKET_KEYS, 1), fixed_keypair(MARKET_KEYS, 2));
        let mut market = TestMarket { ctx, admin, treasury, matcher, nonce: 0 };
        let keys = [market.admin.pubkey(), market.treasury.pubkey(), market.matcher.pubkey()];
        market.fund(&keys).await;
        market
    }

    /// A fresh ledger with the market initialised: fee FEE_BPS, windows WINDOWS, a matcher.
    pub async fn new() -> Self {
        let mut market = Self::uninitialized().await;
        let args = market.default_market_args();
        let ix = builders::initialize_market(&market.admin.pubkey(), &market.treasury.pubkey(), args);
        let admin = market.admin.insecure_clone();
        market.send(&[ix], &[&admin]).await.expect("initialize_market");
        market
    }

    pub fn default_market_args(&self) -> InitializeMarketArgs {
        InitializeMarketArgs { fee_bps: FEE_BPS, matcher: Some(self.matcher.pubkey()), windows: WINDOWS, bonds: BONDS }
    }

    /// Gives each key STARTING_LAMPORTS from the context's payer.
    pub async fn fund(&mut self, keys: &[Pubkey]) {
        self.fund_with(keys, STARTING_LAMPORTS).await
    }

    /// Gives each key `lamports` from the context's payer.
    pub async fn fund_with(&mut self, keys: &[Pubkey], lamports: u64) {
        let payer = self.ctx.payer.pubkey();
        let ixs: Vec<Instruction> = keys
            .iter()
            .map(|key| anchor_lang::solana_program::system_instruction::transfer(&payer, key, lamports))
            .collect();
        self.send(&ixs, &[]).await.expect("funding transfer");
    }

    /// A new keypair holding STARTING_LAMPORTS.
    pub async fn funded_keypair(&mut self) -> Keypair {
        let keypair = Keypair::new();
        self.fund(&[keypair.pubkey()]).await;
        keypair
    }

    /// Sends `ixs` in one transaction paid by the context's payer and signed by `signers`.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        // A distinct compute limit per transaction keeps identical transactions from being deduplicated.
        self.nonce += 1;
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(1_400_000 - self.nonce)];
        all.extend_from_slice(ixs);
        let payer = self.ctx.payer.insecure_clone();
        let mut keypairs: Vec<&Keypair> = vec![&payer];
        for signer in signers {
            if !keypairs.iter().any(|k| k.pubkey() == signer.pubkey()) {
                keypairs.push(signer);
            }
        }
        let mut tx = Transaction::new_signed_with_payer(&all, Some(&payer.pubkey()), &keypairs, self.ctx.last_blockhash);
        let mut outcome = self.ctx.banks_client.process_transaction_with_metadata(tx.clone()).await.expect("banks client");
        if matches!(outcome.result, Err(TransactionError::BlockhashNotFound)) {
            // Slots advance with wall time; a long run outlives its blockhash.
            let blockhash = self.ctx.get_new_latest_blockhash().await.expect("new blockhash");
            tx.sign(&keypairs, blockhash);
            outcome = self.ctx.banks_client.process_transaction_with_metadata(tx).await.expect("banks client");
        }
        let logs = outcome.metadata.map(|m| m.log_messages).unwrap_or_default();
        match outcome.result {
            Ok(()) => Ok(logs),
            Err(error) => Err(TxError { error, logs }),
        }
    }

    pub async fn lamports(&mut self, key: &Pubkey) -> u64 {
        self.ctx.banks_client.get_balance(*key).await.expect("balance")
    }

    pub async fn exists(&mut self, key: &Pubkey) -> bool {
        self.ctx.banks_client.get_account(*key).await.expect("get_account").is_some()
    }

    /// Reads a zero-copy program account (Market, Provider, ClientProfile, Job, Vault), checking its
    /// owner, discriminator and size.
    pub async fn account<T: Pod + Discriminator>(&mut self, key: &Pubkey) -> T {
        let data = self.program_account_data(key).await;
        assert_eq!(data.len(), compute_market::state::space::<T>(), "account {key} has the wrong size");
        assert_eq!(&data[..8], T::DISCRIMINATOR, "account {key} has the wrong discriminator");
        bytemuck::pod_read_unaligned(&data[8..])
    }

    /// Deserializes a Borsh program account (PaymentMint, MintQuote), checking its discriminator.
    pub async fn borsh_account<T: AccountDeserialize>(&mut self, key: &Pubkey) -> T {
        let data = self.program_account_data(key).await;
        T::try_deserialize(&mut data.as_slice()).expect("deserialize account")
    }

    async fn program_account_data(&mut self, key: &Pubkey) -> Vec<u8> {
        let account = self.ctx.banks_client.get_account(*key).await.expect("get_account").unwrap_or_else(|| panic!("account {key} missing"));
        assert_eq!(account.owner, compute_market::ID, "account {key} not owned by the program");
        account.data
    }

    pub async fn rent_exempt(&mut self, data_len: usize) -> u64 {
        self.ctx.banks_client.get_rent().await.expect("rent").minimum_balance(data_len)
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    async fn clock(&mut self) -> Clock {
        self.ctx.banks_client.get_sysvar::<Clock>().await.expect("clock")
    }

    /// Moves the cluster clock `secs` seconds forward.
    pub async fn warp(&mut self, secs: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp += secs;
        self.ctx.set_sysvar(&clock);
    }

    pub fn market_key(&self) -> Pubkey {
        pda::market()
    }

    /// A signing copy of the admin's keypair (avoids borrowing the market while sending).
    pub fn admin(&self) -> Keypair {
        self.admin.insecure_clone()
    }

    pub async fn balances(&mut self, keys: &[Pubkey]) -> Vec<u64> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.push(self.lamports(key).await);
        }
        out
    }

    /// Rent of a provider and client's pair record, paid by whoever settles their first counted job.
    pub async fn pair_rent(&mut self) -> u64 {
        self.rent_exempt(compute_market::state::space::<compute_market::state::Pair>()).await
    }

    pub async fn market(&mut self) -> compute_market::state::Market {
        self.account(&pda::market()).await
    }

    /// Rewrites a zero-copy program account in place, as an attacker's long history would have left it.
    pub async fn patch<T: Pod + Discriminator>(&mut self, key: &Pubkey, edit: impl FnOnce(&mut T)) {
        let mut account = self.ctx.banks_client.get_account(*key).await.expect("get_account").expect("account to patch");
        let mut body: T = bytemuck::pod_read_unaligned(&account.data[8..]);
        edit(&mut body);
        account.data[8..].copy_from_slice(bytemuck::bytes_of(&body));
        self.ctx.set_account(key, &account.into());
    }

    /// Empties a wallet: everything it holds goes to a fresh key, as a party walking away would.
    pub async fn drain(&mut self, wallet: &Keypair) {
        let held = self.lamports(&wallet.pubkey()).await;
        let ix = anchor_lang::solana_program::system_instruction::transfer(&wallet.pubkey(), &Pubkey::new_unique(), held);
        let wallet = wallet.insecure_clone();
        self.send(&[ix], &[&wallet]).await.expect("drain wallet");
        assert_eq!(self.lamports(&wallet.pubkey()).await, 0);
    }
}

/// The upgradeable loader's program account for the program, pointing at its program data.
fn upgradeable_program_account() -> solana_account::Account {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(pda::program_data().as_ref());
    solana_account::Account {
        lamports: 1_141_440,
        data,
        owner: anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        executable: true,
        rent_epoch: u64::MAX,
    }
}

/// The upgradeable loader's program data naming `authority` as upgrade authority, followed by `elf`.
pub fn program_data_account(authority: &Pubkey, elf: &[u8]) -> solana_account::Account {
    let mut data = 3u32.to_le_bytes().to_vec();
    data.extend_from_slice(&0u64.to_le_bytes());
    data.push(1);
    data.extend_from_slice(authority.as_ref());
    data.extend_from_slice(elf);
    solana_account::Account {
        lamports: 1_000_000_000,
        data,
        owner: anchor_lang::solana_program::bpf_loader_upgradeable::ID,
        executable: false,
        rent_epoch: u64::MAX,
    }
}

/// The System Program's `AccountAlreadyInUse` error: what `init` of an existing account fails with.
pub const SYSTEM_ACCOUNT_ALREADY_IN_USE: u32 = 0;

/// Anchor's errors (framework and program) are numbered from here; lower codes belong to other programs.
const ANCHOR_ERRORS_FROM: u32 = 100;

/// Asserts a transaction failed with `expected`: a program error (MarketError), an Anchor framework
/// error (anchor_lang::error::ErrorCode), or any other custom error code. On the sBPF artifact, an
/// Anchor error must also be named in the program's logs, as clients decode it.
pub fn assert_error<E: Into<u32> + Debug + Copy>(result: TxResult, expected: E) {
    let code: u32 = expected.into();
    match result {
        Err(TxError { error: TransactionError::InstructionError(_, InstructionError::Custom(actual)), logs }) => {
            assert_eq!(actual, code, "expected {expected:?} ({code}), got custom error {actual}");
            if Tier::current() == Tier::Sbf && code >= ANCHOR_ERRORS_FROM {
                let named = format!("Error Code: {expected:?}. Error Number: {code}.");
                assert!(logs.iter().any(|line| line.contains(&named)), "logs do not name {expected:?}: {logs:#?}");
            }
        }
        other => panic!("expected {expected:?} ({code}), got {other:?}"),
    }
}

/// Asserts a transaction failed with exactly this runtime instruction error.
pub fn assert_instruction_error(result: TxResult, expected: InstructionError) {
    match result {
        Err(TxError { error: TransactionError::InstructionError(_, actual), .. }) => assert_eq!(actual, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

/// The events of type `T` a transaction's logs carry (Anchor's `emit!` writes them base64-encoded after
/// "Program data: "). Only the sBPF artifact logs them.
pub fn events<T: anchor_lang::Event + anchor_lang::AnchorDeserialize>(logs: &[String]) -> Vec<T> {
    use base64::Engine as _;
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| base64::engine::general_purpose::STANDARD.decode(data).ok())
        .filter_map(|bytes| {
            let body = bytes.strip_prefix(T::DISCRIMINATOR)?;
            T::deserialize(&mut &body[..]).ok()
        })
        .collect()
}
