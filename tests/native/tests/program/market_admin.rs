//! initialize_market, update_market, propose_admin, accept_admin.

use anchor_lang::error::ErrorCode;
use compute_market::constants::{MAX_FEE_BPS, MAX_SLASH_BPS, MAX_WINDOW_SECS, MIN_WINDOW_SECS};
use compute_market::error::MarketError;
use compute_market::instructions::UpdateMarketArgs;
use compute_market::state::{space, BondTerms, Market, TimeWindows};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn initialize_market_records_terms_and_charges_admin_rent() {
    let mut m = TestMarket::uninitialized().await;
    let admin = m.admin();
    let before = m.lamports(&admin.pubkey()).await;
    let ix = builders::initialize_market(&admin.pubkey(), &m.treasury.pubkey(), m.default_market_args());
    m.send(&[ix], &[&admin]).await.unwrap();

    let rent = m.rent_exempt(space::<Market>()).await;
    assert_eq!(m.lamports(&admin.pubkey()).await, before - rent);
    assert_eq!(m.lamports(&m.market_key()).await, rent);
    let market = m.market().await;
    assert_eq!(market.admin, admin.pubkey());
    assert_eq!(market.treasury, m.treasury.pubkey());
    assert_eq!(market.fee_bps, FEE_BPS);
    assert_eq!(market.windows, WINDOWS);
    assert_eq!(market.matcher(), Some(m.matcher.pubkey()));
    assert_eq!(market.pending_admin(), None);
    assert!(!market.is_paused());
}

#[tokio::test]
async fn initialize_market_rejects_bad_terms() {
    let mut m = TestMarket::uninitialized().await;
    let admin = m.admin();
    let treasury = m.treasury.pubkey();
    let cases: Vec<(Box<dyn Fn(&mut compute_market::instructions::InitializeMarketArgs)>, MarketError)> = vec![
        (Box::new(|a| a.fee_bps = MAX_FEE_BPS + 1), MarketError::FeeTooHigh),
        (Box::new(|a| a.windows.start_window_secs = MIN_WINDOW_SECS - 1), MarketError::InvalidWindow),
        (Box::new(|a| a.windows.review_window_secs = MAX_WINDOW_SECS + 1), MarketError::InvalidWindow),
        (Box::new(|a| a.windows.grace_secs = 0), MarketError::InvalidWindow),
        (Box::new(|a| a.windows.dispute_window_secs = u32::MAX), MarketError::InvalidWindow),
        (Box::new(|a| a.bonds.slash_bps = MAX_SLASH_BPS + 1), MarketError::InvalidBondTerms),
        (Box::new(|a| a.bonds.cooldown_secs = MAX_WINDOW_SECS + 1), MarketError::InvalidBondTerms),
        (Box::new(|a| a.matcher = Some(Default::default())), MarketError::InvalidMatcher),
    ];
    for (edit, expected) in cases {
        let mut args = m.default_market_args();
        edit(&mut args);
        let result = m.send(&[builders::initialize_market(&admin.pubkey(), &treasury, args)], &[&admin]).await;
        assert_error(result, expected);
    }
    assert!(!m.exists(&m.market_key()).await, "no failed attempt created the market");
}

#[tokio::test]
async fn initialize_market_rejects_treasury_that_cannot_receive_fees() {
    let mut m = TestMarket::uninitialized().await;
    let admin = m.admin();
    // An empty account would fail the rent check on a small fee.
    let empty = Keypair::new().pubkey();
    let result = m.send(&[builders::initialize_market(&admin.pubkey(), &empty, m.default_market_args())], &[&admin]).await;
    assert_error(result, MarketError::InvalidTreasury);
    // A program-owned account is not a wallet.
    let program_owned = compute_market_tests::pda::market();
    let result = m.send(&[builders::initialize_market(&admin.pubkey(), &program_owned, m.default_market_args())], &[&admin]).await;
    assert_error(result, MarketError::InvalidTreasury);
}

#[tokio::test]
async fn initialize_market_cannot_run_twice() {
    let mut m = TestMarket::new().await;
    let intruder = m.funded_keypair().await;
    let ix = builders::initialize_market(&intruder.pubkey(), &intruder.pubkey(), m.default_market_args());
    assert_error(m.send(&[ix], &[&intruder]).await, SYSTEM_ACCOUNT_ALREADY_IN_USE);
    assert_eq!(m.market().await.admin, m.admin.pubkey());
}

#[tokio::test]
async fn update_market_changes_each_setting() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let new_treasury = m.funded_keypair().await.pubkey();
    let new_matcher = Keypair::new().pubkey();
    let windows = TimeWindows { start_window_secs: 120, review_window_secs: 240, grace_secs: 60, dispute_window_secs: 600 };
    let args = UpdateMarketArgs {
        fee_bps: Some(MAX_FEE_BPS),
        paused: Some(true),
        windows: Some(windows),
        bonds: Some(BondTerms { cooldown_secs: MAX_WINDOW_SECS, slash_bps: MAX_SLASH_BPS }),
        set_matcher: Some(new_matcher),
        clear_matcher: false,
    };
    let market_lamports = m.lamports(&m.market_key()).await;
    m.send(&[builders::update_market(&admin.pubkey(), Some(new_treasury), args)], &[&admin]).await.unwrap();
    let market = m.market().await;
    assert_eq!(
        (market.fee_bps, market.is_paused(), market.windows, market.matcher(), market.treasury),
        (MAX_FEE_BPS, true, windows, Some(new_matcher), new_treasury)
    );
    assert_eq!((market.bond_cooldown_secs, market.slash_bps), (MAX_WINDOW_SECS, MAX_SLASH_BPS));
    assert_eq!(m.lamports(&m.market_key()).await, market_lamports, "no lamports move");

    let clear = UpdateMarketArgs { clear_matcher: true, paused: Some(false), ..Default::default() };
    m.send(&[builders::update_market(&admin.pubkey(), None, clear)], &[&admin]).await.unwrap();
    let market = m.market().await;
    assert_eq!((market.matcher(), market.is_paused(), market.treasury), (None, false, new_treasury));
}

#[tokio::test]
async fn update_market_rejects_bad_input_and_strangers() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let stranger = m.funded_keypair().await;
    let fee = UpdateMarketArgs { fee_bps: Some(1), ..Default::default() };
    assert_error(
        m.send(&[builders::update_market(&stranger.pubkey(), None, fee.clone())], &[&stranger]).await,
        MarketError::NotAdmin,
    );
    let too_high = UpdateMarketArgs { fee_bps: Some(MAX_FEE_BPS + 1), ..Default::default() };
    assert_error(m.send(&[builders::update_market(&admin.pubkey(), None, too_high)], &[&admin]).await, MarketError::FeeTooHigh);
    let windows = UpdateMarketArgs { windows: Some(TimeWindows { grace_secs: 1, ..WINDOWS }), ..Default::default() };
    assert_error(m.send(&[builders::update_market(&admin.pubkey(), None, windows)], &[&admin]).await, MarketError::InvalidWindow);
    for terms in [BondTerms { slash_bps: MAX_SLASH_BPS + 1, ..BONDS }, BondTerms { cooldown_secs: MIN_WINDOW_SECS - 1, ..BONDS }] {
        let bonds = UpdateMarketArgs { bonds: Some(terms), ..Default::default() };
        assert_error(m.send(&[builders::update_market(&admin.pubkey(), None, bonds)], &[&admin]).await, MarketError::InvalidBondTerms);
    }
    let both = UpdateMarketArgs { set_matcher: Some(stranger.pubkey()), clear_matcher: true, ..Default::default() };
    assert_error(
        m.send(&[builders::update_market(&admin.pubkey(), None, both)], &[&admin]).await,
        MarketError::ConflictingMatcherUpdate,
    );
    let unfunded = Keypair::new().pubkey();
    assert_error(
        m.send(&[builders::update_market(&admin.pubkey(), Some(unfunded), UpdateMarketArgs::default())], &[&admin]).await,
        MarketError::InvalidTreasury,
    );
    let market = m.market().await;
    assert_eq!((market.fee_bps, market.windows, market.treasury), (FEE_BPS, WINDOWS, m.treasury.pubkey()));
}

#[tokio::test]
async fn admin_handover_takes_two_steps() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let successor = m.funded_keypair().await;
    let stranger = m.funded_keypair().await;

    assert_error(m.send(&[builders::accept_admin(&successor.pubkey())], &[&successor]).await, MarketError::NotPendingAdmin);
    assert_error(
        m.send(&[builders::propose_admin(&stranger.pubkey(), stranger.pubkey())], &[&stranger]).await,
        MarketError::NotAdmin,
    );
    assert_error(
        m.send(&[builders::propose_admin(&admin.pubkey(), admin.pubkey())], &[&admin]).await,
        MarketError::InvalidPendingAdmin,
    );
    assert_error(
        m.send(&[builders::propose_admin(&admin.pubkey(), Default::default())], &[&admin]).await,
        MarketError::InvalidPendingAdmin,
    );

    m.send(&[builders::propose_admin(&admin.pubkey(), successor.pubkey())], &[&admin]).await.unwrap();
    assert_eq!(m.market().await.pending_admin(), Some(successor.pubkey()));
    assert_error(m.send(&[builders::accept_admin(&stranger.pubkey())], &[&stranger]).await, MarketError::NotPendingAdmin);
    m.send(&[builders::accept_admin(&successor.pubkey())], &[&successor]).await.unwrap();
    let market = m.market().await;
    assert_eq!((market.admin, market.pending_admin()), (successor.pubkey(), None));

    // The old admin has lost every power.
    let pause = UpdateMarketArgs { paused: Some(true), ..Default::default() };
    assert_error(m.send(&[builders::update_market(&admin.pubkey(), None, pause)], &[&admin]).await, MarketError::NotAdmin);
}

#[tokio::test]
async fn market_instructions_reject_a_non_market_account() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let provider = m.registered_provider().await;
    let mut ix = builders::update_market(&admin.pubkey(), None, UpdateMarketArgs::default());
    ix.accounts[1].pubkey = compute_market_tests::pda::provider(&provider.pubkey());
    assert_error(m.send(&[ix], &[&admin]).await, ErrorCode::AccountDiscriminatorMismatch);
}
