//! Provider bonds: deposits and withdrawals after the cool-down, a bonded job's lock on every path,
//! slashes to the client exactly when the provider fails the job, and every refusal by name with nothing
//! moved. Balances are exact, bond accounts and token accounts included.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_instruction;
use compute_market::constants::BPS_DENOMINATOR;
use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{space, Bond, BondTerms, Job, JobStatus, Vault};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// What the test providers put up: 1 SOL, or a million base units of a token.
const BOND: u64 = 1_000_000_000;
/// What the test jobs require: 0.4 SOL (or base units).
const MIN_BOND: u64 = 400_000_000;
/// BONDS.slash_bps of MIN_BOND.
const SLASH: u64 = MIN_BOND * BONDS.slash_bps as u64 / BPS_DENOMINATOR as u64;

async fn bond_of(m: &mut TestMarket, provider: &Pubkey, pay: &Pay) -> Bond {
    m.account(&pda::bond(provider, &pay.mint())).await
}

async fn deposit(m: &mut TestMarket, provider: &Keypair, pay: &Pay, amount: u64) -> TxResult {
    m.send(&[builders::deposit_bond(&provider.pubkey(), pay, amount)], &[provider]).await
}

/// A deal whose job, paid as `pay` says, requires MIN_BOND from a provider that put up BOND.
async fn bonded_deal(m: &mut TestMarket, pay: Pay) -> Deal {
    let provider = m.provider_paid_in(&pay).await;
    if let Pay::Token { .. } = pay {
        m.fund_tokens(&provider.pubkey(), &pay).await;
    }
    deposit(m, &provider, &pay, BOND).await.expect("deposit_bond");
    let client = m.client_paying_in(&pay).await;
    let job = m.post_job_in(&client, &pay, |a| a.min_bond = MIN_BOND).await;
    Deal { client, provider, job, pay }
}

/// The deal assigned, started, run for an hour, its result submitted and disputed.
async fn disputed(m: &mut TestMarket, deal: Deal) -> Deal {
    let deal = m.assign(deal).await;
    let deal = m.start(deal).await;
    let deal = m.submit_after(deal, 3_600).await;
    m.dispute(deal).await
}

/// (held, locked, pending, jobs_locked, slashed) of a bond.
fn ledger(bond: &Bond) -> (u64, u64, u64, u32, u64) {
    (bond.held, bond.locked, bond.pending, bond.jobs_locked, bond.slashed)
}

#[tokio::test]
async fn a_lamport_deposit_creates_the_bond_and_holds_exactly_what_was_sent() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let me = provider.pubkey();
    let address = pda::bond(&me, &Pubkey::default());
    let rent = m.rent_exempt(space::<Bond>()).await;
    let wallet = m.lamports(&me).await;

    deposit(&mut m, &provider, &Pay::Lamports, BOND).await.unwrap();
    assert_eq!(m.balances(&[me, address]).await, vec![wallet - BOND - rent, rent + BOND]);
    let bond: Bond = m.account(&address).await;
    assert_eq!((bond.provider, bond.mint, bond.tokens), (me, Pubkey::default(), Pubkey::default()));
    assert_eq!(ledger(&bond), (BOND, 0, 0, 0, 0));

    deposit(&mut m, &provider, &Pay::Lamports, 5).await.unwrap();
    assert_eq!(m.balances(&[me, address]).await, vec![wallet - BOND - rent - 5, rent + BOND + 5]);
    assert_eq!(bond_of(&mut m, &me, &Pay::Lamports).await.held, BOND + 5);

    assert_error(deposit(&mut m, &provider, &Pay::Lamports, 0).await, MarketError::InvalidBondAmount);
    assert_eq!(m.balances(&[me, address]).await, vec![wallet - BOND - rent - 5, rent + BOND + 5], "nothing moved");
}

#[tokio::test]
async fn nobody_deposits_into_another_providers_bond_address() {
    let mut m = TestMarket::new().await;
    let (owner, intruder) = (m.registered_provider().await, m.registered_provider().await);
    // The intruder signs its own deposit but names the owner's bond address: refused before it exists...
    let mut ix = builders::deposit_bond(&intruder.pubkey(), &Pay::Lamports, BOND);
    ix.accounts[2].pubkey = pda::bond(&owner.pubkey(), &Pubkey::default());
    assert_error(m.send(&[ix.clone()], &[&intruder]).await, MarketError::WrongBond);
    // ...and after.
    deposit(&mut m, &owner, &Pay::Lamports, BOND).await.unwrap();
    assert_error(m.send(&[ix], &[&intruder]).await, MarketError::WrongBond);
    assert_eq!(ledger(&bond_of(&mut m, &owner.pubkey(), &Pay::Lamports).await), (BOND, 0, 0, 0, 0));
    // A wallet that never registered as a provider has no bond to make.
    let stranger = m.funded_keypair().await;
    assert!(deposit(&mut m, &stranger, &Pay::Lamports, BOND).await.is_err());
    assert!(!m.exists(&pda::bond(&stranger.pubkey(), &Pubkey::default())).await);
}

#[tokio::test]
async fn a_gift_of_lamports_joins_the_bond_and_cannot_block_its_creation() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let address = pda::bond(&provider.pubkey(), &Pubkey::default());
    let donor = m.funded_keypair().await;
    m.send(&[system_instruction::transfer(&donor.pubkey(), &address, 7_000_000)], &[&donor]).await.unwrap();
    deposit(&mut m, &provider, &Pay::Lamports, BOND).await.unwrap();
    let rent = m.rent_exempt(space::<Bond>()).await;
    // The gift paid part of the rent; nothing beyond the rent is lost.
    assert_eq!(m.lamports(&address).await, 7_000_000.max(rent) + BOND);
    assert_eq!(bond_of(&mut m, &provider.pubkey(), &Pay::Lamports).await.held, BOND + 7_000_000u64.saturating_sub(rent));
    m.send(&[system_instruction::transfer(&donor.pubkey(), &address, 3)], &[&donor]).await.unwrap();
    let request = builders::request_bond_withdrawal(&provider.pubkey(), &Pubkey::default(), 1);
    m.send(&[request], &[&provider]).await.unwrap();
    assert_eq!(bond_of(&mut m, &provider.pubkey(), &Pay::Lamports).await.held, m.lamports(&address).await - rent);
}

#[tokio::test]
async fn a_bonded_job_locks_its_minimum_and_every_release_gives_it_back() {
    let mut m = TestMarket::new().await;
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let (me, pay) = (deal.provider.pubkey(), deal.pay);
    let deal = m.assign(deal).await;
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND, MIN_BOND, 0, 1, 0));

    // A second job asking for more than is free is refused by name.
    let greedy = m.post_job_in(&deal.client, &pay, |a| a.min_bond = BOND - MIN_BOND + 1).await;
    let ix = builders::assign_job_in(&deal.client.pubkey(), &deal.client.pubkey(), &greedy, &me, &pay, AGREED_PRICE);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::BondTooSmall);
    assert_eq!(m.account::<Job>(&greedy).await.status().unwrap(), JobStatus::Open);

    // Declining releases the lock, as does taking back.
    m.send(&[builders::decline_job(&me, &deal.job)], &[&deal.provider]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND, 0, 0, 0, 0));
    let deal = m.assign(deal).await;
    m.warp(i64::from(compute_market::constants::TAKE_BACK_AFTER_SECS)).await;
    let client = deal.client.pubkey();
    m.send(&[builders::take_back_job(&client, &deal.job, &me)], &[&deal.client]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND, 0, 0, 0, 0));

    // Work delivered and paid releases it unslashed.
    let deal = m.assign(deal).await;
    let deal = m.start(deal).await;
    let deal = m.submit_after(deal, 3_600).await;
    let bond_lamports = m.lamports(&pda::bond(&me, &Pubkey::default())).await;
    m.send(&[builders::complete_and_pay(&deal.parties(&m), Some(5))], &[&deal.client]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND, 0, 0, 0, 0));
    assert_eq!(m.lamports(&pda::bond(&me, &Pubkey::default())).await, bond_lamports);
}

#[tokio::test]
async fn a_provider_without_enough_bond_cannot_take_a_bonded_job() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let bonded = m.post_job_with(&deal.client, |a| a.min_bond = MIN_BOND).await;
    let client = deal.client.pubkey();
    let assign = |job: &Pubkey| builders::assign_job_in(&client, &client, job, &deal.provider.pubkey(), &Pay::Lamports, AGREED_PRICE);
    // No bond at all: the account passed is not a bond.
    assert_error(m.send(&[assign(&bonded)], &[&deal.client]).await, MarketError::WrongBond);
    // Another provider's bond in its place.
    let other = m.registered_provider().await;
    deposit(&mut m, &other, &Pay::Lamports, BOND).await.unwrap();
    let mut ix = assign(&bonded);
    ix.accounts[8].pubkey = pda::bond(&other.pubkey(), &Pubkey::default());
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongBond);
    // Too small a bond.
    deposit(&mut m, &deal.provider, &Pay::Lamports, MIN_BOND - 1).await.unwrap();
    assert_error(m.send(&[assign(&bonded)], &[&deal.client]).await, MarketError::BondTooSmall);
    // Enough: locked. A job asking for no bond never touches it.
    deposit(&mut m, &deal.provider, &Pay::Lamports, 1).await.unwrap();
    m.send(&[assign(&bonded)], &[&deal.client]).await.unwrap();
    m.send(&[assign(&deal.job)], &[&deal.client]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &deal.provider.pubkey(), &Pay::Lamports).await), (MIN_BOND, MIN_BOND, 0, 1, 0));
}

#[tokio::test]
async fn a_job_never_started_slashes_the_bond_to_its_client() {
    let mut m = TestMarket::new().await;
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let deal = m.assign(deal).await;
    let p = deal.parties(&m);
    let bond_address = pda::bond(&p.provider, &Pubkey::default());
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let keeper = m.funded_keypair().await;
    let before = m.balances(&[p.client, p.provider, bond_address]).await;

    m.send(&[builders::expire_job(&keeper.pubkey(), &p)], &[&keeper]).await.unwrap();

    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(
        m.balances(&[p.client, p.provider, bond_address]).await,
        vec![before[0] + AGREED_ESCROW + vault_rent + SLASH, before[1], before[2] - SLASH]
    );
    assert_eq!(ledger(&bond_of(&mut m, &p.provider, &Pay::Lamports).await), (BOND - SLASH, 0, 0, 0, SLASH));
}

#[tokio::test]
async fn a_job_without_result_slashes_the_bond_and_a_late_deadline_does_not_double_it() {
    let mut m = TestMarket::new().await;
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let deal = m.assign(deal).await;
    let deal = m.start(deal).await;
    let p = deal.parties(&m);
    m.warp(i64::from(DURATION_SECS + WINDOWS.grace_secs) + 1).await;
    let client = m.lamports(&p.client).await;
    m.send(&[builders::expire_job(&deal.client.pubkey(), &p)], &[&deal.client]).await.unwrap();
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.lamports(&p.client).await, client + AGREED_ESCROW + vault_rent + SLASH);
    assert_eq!(ledger(&bond_of(&mut m, &p.provider, &Pay::Lamports).await), (BOND - SLASH, 0, 0, 0, SLASH));
    // Expiring it again finds its vault closed: refused, and the bond is not slashed twice.
    let client = m.lamports(&p.client).await;
    assert_error(m.send(&[builders::expire_job(&deal.client.pubkey(), &p)], &[&deal.client]).await, ErrorCode::AccountOwnedByWrongProgram);
    assert_eq!(ledger(&bond_of(&mut m, &p.provider, &Pay::Lamports).await), (BOND - SLASH, 0, 0, 0, SLASH));
    assert_eq!(m.lamports(&p.client).await, client);
}

#[tokio::test]
async fn a_lost_dispute_slashes_and_a_won_or_unruled_one_does_not() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    for (provider_bps, slashed) in [(2_000u16, SLASH), (4_999, SLASH), (5_000, 0), (10_000, 0)] {
        let deal = bonded_deal(&mut m, Pay::Lamports).await;
        let deal = disputed(&mut m, deal).await;
        let p = deal.parties(&m);
        let bond_address = pda::bond(&p.provider, &Pubkey::default());
        let [client, bond] = <[u64; 2]>::try_from(m.balances(&[p.client, bond_address]).await).unwrap();
        let vault = m.lamports(&pda::vault(&p.job)).await;
        let job: Job = m.account(&p.job).await;
        let settlement = compute_market::math::pricing::Settlement::for_dispute(job.escrow, provider_bps, job.fee_bps).unwrap();
        m.send(&[builders::resolve_dispute(&admin.pubkey(), &p, provider_bps)], &[&admin]).await.unwrap();
        let refund = vault - settlement.provider - settlement.fee;
        assert_eq!(m.balances(&[p.client, bond_address]).await, vec![client + refund + slashed, bond - slashed], "{provider_bps} bps");
        assert_eq!(ledger(&bond_of(&mut m, &p.provider, &Pay::Lamports).await), (BOND - slashed, 0, 0, 0, slashed));
    }
    // A dispute nobody rules on settles by the default split, fair to both: no slash.
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let deal = disputed(&mut m, deal).await;
    m.warp(i64::from(WINDOWS.dispute_window_secs) + 1).await;
    let p = deal.parties(&m);
    m.send(&[builders::expire_job(&deal.client.pubkey(), &p)], &[&deal.client]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &p.provider, &Pay::Lamports).await), (BOND, 0, 0, 0, 0));
}

#[tokio::test]
async fn a_job_keeps_the_slash_share_of_its_posting() {
    let mut m = TestMarket::new().await;
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let admin = m.admin();
    let harsher = UpdateMarketArgs { bonds: Some(BondTerms { slash_bps: 5_000, ..BONDS }), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, harsher)], &[&admin]).await.unwrap();
    assert_eq!(m.account::<Job>(&deal.job).await.slash_bps, BONDS.slash_bps);
    let deal = m.assign(deal).await;
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let p = deal.parties(&m);
    m.send(&[builders::expire_job(&deal.client.pubkey(), &p)], &[&deal.client]).await.unwrap();
    assert_eq!(bond_of(&mut m, &p.provider, &Pay::Lamports).await.slashed, SLASH);
    // A job posted now takes the new share.
    let later = m.post_job_with(&deal.client, |a| a.min_bond = MIN_BOND).await;
    assert_eq!((m.account::<Job>(&later).await.slash_bps, m.account::<Job>(&later).await.min_bond), (5_000, MIN_BOND));
}

#[tokio::test]
async fn withdrawals_wait_for_the_cooldown_and_never_reach_locked_bond() {
    let mut m = TestMarket::new().await;
    let deal = bonded_deal(&mut m, Pay::Lamports).await;
    let deal = m.assign(deal).await;
    let (me, pay) = (deal.provider.pubkey(), Pay::Lamports);
    let request = |amount: u64| builders::request_bond_withdrawal(&me, &Pubkey::default(), amount);
    let withdraw = builders::withdraw_bond(&me, &pay);

    assert_error(m.send(&[withdraw.clone()], &[&deal.provider]).await, MarketError::NoBondWithdrawal);
    assert_error(m.send(&[request(BOND - MIN_BOND + 1)], &[&deal.provider]).await, MarketError::BondInUse);
    m.send(&[request(BOND - MIN_BOND)], &[&deal.provider]).await.unwrap();
    let now = m.now().await;
    let bond = bond_of(&mut m, &me, &pay).await;
    assert_eq!((bond.pending, bond.withdraw_at, bond.free()), (BOND - MIN_BOND, now + i64::from(BONDS.cooldown_secs), 0));
    // What is pending backs no new job.
    let next = m.post_job_with(&deal.client, |a| a.min_bond = 1).await;
    let client = deal.client.pubkey();
    let ix = builders::assign_job_in(&client, &client, &next, &me, &pay, AGREED_PRICE);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::BondTooSmall);

    m.warp(i64::from(BONDS.cooldown_secs) - 1).await;
    assert_error(m.send(&[withdraw.clone()], &[&deal.provider]).await, MarketError::BondCoolingDown);
    m.warp(1).await;
    let address = pda::bond(&me, &Pubkey::default());
    let before = m.balances(&[me, address]).await;
    m.send(&[withdraw.clone()], &[&deal.provider]).await.unwrap();
    assert_eq!(m.balances(&[me, address]).await, vec![before[0] + BOND - MIN_BOND, before[1] - (BOND - MIN_BOND)]);
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (MIN_BOND, MIN_BOND, 0, 1, 0));
    assert_error(m.send(&[withdraw], &[&deal.provider]).await, MarketError::NoBondWithdrawal);

    // A new request replaces the last and restarts the clock; zero withdraws it.
    deposit(&mut m, &deal.provider, &pay, 10).await.unwrap();
    m.send(&[request(10)], &[&deal.provider]).await.unwrap();
    m.send(&[request(0)], &[&deal.provider]).await.unwrap();
    let bond = bond_of(&mut m, &me, &pay).await;
    assert_eq!((bond.pending, bond.withdraw_at, bond.free()), (0, 0, 10));
}

#[tokio::test]
async fn nobody_but_the_provider_requests_or_takes_its_bond() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    deposit(&mut m, &provider, &Pay::Lamports, BOND).await.unwrap();
    m.send(&[builders::request_bond_withdrawal(&provider.pubkey(), &Pubkey::default(), BOND)], &[&provider]).await.unwrap();
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    let thief = m.funded_keypair().await;
    let mut request = builders::request_bond_withdrawal(&thief.pubkey(), &Pubkey::default(), 1);
    request.accounts[2].pubkey = pda::bond(&provider.pubkey(), &Pubkey::default());
    assert_error(m.send(&[request], &[&thief]).await, MarketError::WrongBond);
    let mut take = builders::withdraw_bond(&thief.pubkey(), &Pay::Lamports);
    take.accounts[1].pubkey = pda::bond(&provider.pubkey(), &Pubkey::default());
    assert_error(m.send(&[take], &[&thief]).await, MarketError::WrongBond);
    assert_eq!(ledger(&bond_of(&mut m, &provider.pubkey(), &Pay::Lamports).await), (BOND, 0, BOND, 0, 0));
}

#[tokio::test]
async fn a_token_bond_is_deposited_locked_slashed_and_withdrawn_in_its_mint() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let deal = bonded_deal(&mut m, pay).await;
    let (me, client) = (deal.provider.pubkey(), deal.client.pubkey());
    let bond_address = pda::bond(&me, &pay.mint());
    let bond_tokens = pda::ata(&bond_address, &pay.mint(), &TOKEN_PROGRAM);
    let bond = bond_of(&mut m, &me, &pay).await;
    assert_eq!((bond.mint, bond.tokens, ledger(&bond)), (pay.mint(), bond_tokens, (BOND, 0, 0, 0, 0)));
    assert_eq!((m.token_balance(&bond_tokens).await, m.tokens_of(&me, &pay).await), (Some(BOND), STARTING_TOKENS - BOND));

    let deal = m.assign(deal).await;
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let client_tokens = m.tokens_of(&client, &pay).await;
    let p = deal.parties(&m);
    m.send(&[builders::expire_job(&client, &p)], &[&deal.client]).await.unwrap();
    assert_eq!(m.tokens_of(&client, &pay).await, client_tokens + AGREED_ESCROW + SLASH);
    assert_eq!(m.token_balance(&bond_tokens).await, Some(BOND - SLASH));
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND - SLASH, 0, 0, 0, SLASH));

    m.send(&[builders::request_bond_withdrawal(&me, &pay.mint(), BOND - SLASH)], &[&deal.provider]).await.unwrap();
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    m.send(&[builders::withdraw_bond(&me, &pay)], &[&deal.provider]).await.unwrap();
    assert_eq!((m.token_balance(&bond_tokens).await, m.tokens_of(&me, &pay).await), (Some(0), STARTING_TOKENS - SLASH));
    // Token accounts on a lamport bond, or none on a token bond, are refused by name.
    let mut lamport_accounts = builders::deposit_bond(&me, &Pay::Lamports, 1);
    lamport_accounts.accounts = builders::deposit_bond(&me, &pay, 1).accounts;
    lamport_accounts.accounts[2].pubkey = pda::bond(&me, &Pubkey::default());
    assert_error(m.send(&[lamport_accounts], &[&deal.provider]).await, MarketError::WrongBond);
    let mut missing = builders::withdraw_bond(&me, &Pay::Lamports);
    missing.accounts[1].pubkey = bond_address;
    assert_error(m.send(&[missing], &[&deal.provider]).await, MarketError::WrongMint);
}

#[tokio::test]
async fn a_frozen_token_bond_never_holds_up_the_clients_refund() {
    let mut m = TestMarket::new().await;
    let mint = m.create_freezable_mint(TOKEN_PROGRAM, &[]).await;
    let admin = m.admin();
    let terms = compute_market::instructions::AddPaymentMintArgs { acknowledge_freeze_authority: true, ..MINT_TERMS };
    let ix = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), &mint, &TOKEN_PROGRAM, terms);
    m.send(&[ix], &[&admin]).await.unwrap();
    let pay = Pay::Token { mint, token_program: TOKEN_PROGRAM };
    let deal = bonded_deal(&mut m, pay).await;
    let deal = m.assign(deal).await;
    let bond_tokens = pda::ata(&pda::bond(&deal.provider.pubkey(), &mint), &mint, &TOKEN_PROGRAM);
    m.set_frozen(&bond_tokens, &pay, true).await;
    m.warp(i64::from(WINDOWS.start_window_secs) + 1).await;
    let client = deal.client.pubkey();
    let before = m.tokens_of(&client, &pay).await;
    m.send(&[builders::expire_job(&client, &deal.parties(&m))], &[&deal.client]).await.unwrap();
    assert_eq!(m.tokens_of(&client, &pay).await, before + AGREED_ESCROW, "refunded, unslashed");
    assert_eq!(ledger(&bond_of(&mut m, &deal.provider.pubkey(), &pay).await), (BOND, 0, 0, 0, 0));
}

#[tokio::test]
async fn a_lamport_deposit_or_withdrawal_with_any_token_account_is_refused() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let provider = m.provider_paid_in(&pay).await;
    m.fund_tokens(&provider.pubkey(), &pay).await;
    let me = provider.pubkey();
    let lamport_bond = pda::bond(&me, &Pubkey::default());
    let (token_deposit, token_withdrawal) = (builders::deposit_bond(&me, &pay, BOND), builders::withdraw_bond(&me, &pay));
    // The token accounts follow authority, provider, bond and the system program: the payment mint's record,
    // the mint, the bond's and the provider's token accounts, the token and associated token programs. Each
    // one but the mint passed alone with a lamport deposit is refused, and nothing is created.
    for (at, name) in [(4, "payment mint"), (6, "bond tokens"), (7, "provider tokens"), (8, "token program"), (9, "associated token program")] {
        let mut ix = builders::deposit_bond(&me, &Pay::Lamports, BOND);
        assert_eq!(ix.accounts[at].pubkey, compute_market::ID, "{name} is absent from a lamport deposit");
        ix.accounts[at] = token_deposit.accounts[at].clone();
        assert_error(m.send(&[ix], &[&provider]).await, MarketError::UnexpectedTokenAccounts);
        assert!(!m.exists(&lamport_bond).await, "{name}");
    }
    deposit(&mut m, &provider, &Pay::Lamports, BOND).await.unwrap();
    m.send(&[builders::request_bond_withdrawal(&me, &Pubkey::default(), BOND)], &[&provider]).await.unwrap();
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    // The withdrawal's token accounts follow authority and bond, in the same order.
    let passed = [
        (2, token_deposit.accounts[4].clone(), "payment mint"),
        (4, token_withdrawal.accounts[4].clone(), "bond tokens"),
        (5, token_withdrawal.accounts[5].clone(), "provider tokens"),
        (6, token_withdrawal.accounts[6].clone(), "token program"),
        (7, token_deposit.accounts[9].clone(), "associated token program"),
    ];
    for (at, account, name) in passed {
        let mut ix = builders::withdraw_bond(&me, &Pay::Lamports);
        assert_eq!(ix.accounts[at].pubkey, compute_market::ID, "{name} is absent from a lamport withdrawal");
        ix.accounts[at] = account;
        assert_error(m.send(&[ix], &[&provider]).await, MarketError::UnexpectedTokenAccounts);
    }
    assert_eq!(ledger(&bond_of(&mut m, &me, &Pay::Lamports).await), (BOND, 0, BOND, 0, 0));
    m.send(&[builders::withdraw_bond(&me, &Pay::Lamports)], &[&provider]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &me, &Pay::Lamports).await), (0, 0, 0, 0, 0));
}

#[tokio::test]
async fn a_gift_of_tokens_to_the_bond_joins_it_at_the_next_deposit() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let provider = m.provider_paid_in(&pay).await;
    m.fund_tokens(&provider.pubkey(), &pay).await;
    deposit(&mut m, &provider, &pay, BOND).await.unwrap();
    let bond_tokens = pda::ata(&pda::bond(&provider.pubkey(), &pay.mint()), &pay.mint(), &TOKEN_PROGRAM);
    m.donate_tokens(&pay, &bond_tokens, 7).await;
    assert_eq!(bond_of(&mut m, &provider.pubkey(), &pay).await.held, BOND, "counted only at the next deposit");
    deposit(&mut m, &provider, &pay, 3).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &provider.pubkey(), &pay).await), (BOND + 10, 0, 0, 0, 0));
    assert_eq!(m.token_balance(&bond_tokens).await, Some(BOND + 10));
    // All of it can be withdrawn: nothing is stranded in the bond's token account.
    m.send(&[builders::request_bond_withdrawal(&provider.pubkey(), &pay.mint(), BOND + 10)], &[&provider]).await.unwrap();
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    let wallet = m.tokens_of(&provider.pubkey(), &pay).await;
    m.send(&[builders::withdraw_bond(&provider.pubkey(), &pay)], &[&provider]).await.unwrap();
    assert_eq!((m.tokens_of(&provider.pubkey(), &pay).await, m.token_balance(&bond_tokens).await), (wallet + BOND + 10, Some(0)));
}

#[tokio::test]
async fn lamports_sent_to_a_token_bond_are_not_counted_as_tokens_and_leave_with_the_withdrawal() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let provider = m.provider_paid_in(&pay).await;
    m.fund_tokens(&provider.pubkey(), &pay).await;
    let me = provider.pubkey();
    deposit(&mut m, &provider, &pay, BOND).await.unwrap();
    let bond_address = pda::bond(&me, &pay.mint());
    let rent = m.rent_exempt(space::<Bond>()).await;
    // More lamports than the bond holds tokens, so that counting them as tokens would show.
    let stray = 2 * BOND;
    m.fund_with(&[bond_address], stray).await;
    m.send(&[builders::request_bond_withdrawal(&me, &pay.mint(), BOND)], &[&provider]).await.unwrap();
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (BOND, 0, BOND, 0, 0), "lamports are not tokens");
    m.warp(i64::from(BONDS.cooldown_secs)).await;
    let wallet = m.lamports(&me).await;
    m.send(&[builders::withdraw_bond(&me, &pay)], &[&provider]).await.unwrap();
    assert_eq!(m.lamports(&bond_address).await, rent, "the stray lamports left with the withdrawal");
    assert_eq!(m.lamports(&me).await, wallet + stray);
    assert_eq!(ledger(&bond_of(&mut m, &me, &pay).await), (0, 0, 0, 0, 0));
}
