//! The payment mint allow-list, provider quotes, and every token account a token job touches:
//! wrong mints, wrong owners, substituted vaults and missing or surplus accounts fail by name and
//! move nothing.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use compute_market::error::MarketError;
use compute_market::state::{MintQuote, PaymentMint, Rates};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_instruction::Instruction;

use crate::clients_and_posting::{address_refusal, other_valid_bump};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Replaces the account at `index` of `ix`, keeping its flags.
fn substitute(mut ix: Instruction, index: usize, key: Pubkey) -> Instruction {
    ix.accounts[index].pubkey = key;
    ix
}

/// Index of `key` among the instruction's accounts.
fn position(ix: &Instruction, key: &Pubkey) -> usize {
    ix.accounts.iter().position(|a| a.pubkey == *key).expect("account in instruction")
}

#[tokio::test]
async fn add_payment_mint_records_the_mint_and_opens_the_treasury_account() {
    for program in [TOKEN_PROGRAM, TOKEN_2022_PROGRAM] {
        let mut m = TestMarket::new().await;
        let admin = m.admin();
        let admin_before = m.lamports(&admin.pubkey()).await;
        let pay = m.accepted_mint(program).await;
        let mint = pay.token().0;
        let state: PaymentMint = m.borsh_account(&pda::payment_mint(&mint)).await;
        assert_eq!((state.mint, state.token_program, state.decimals, state.enabled), (mint, program, DECIMALS, true));
        let treasury_tokens = pda::ata(&m.treasury.pubkey(), &mint, &program);
        assert_eq!(m.token_balance(&treasury_tokens).await, Some(0));
        let rent = m.lamports(&pda::payment_mint(&mint)).await + m.lamports(&treasury_tokens).await;
        assert_eq!(m.lamports(&admin.pubkey()).await, admin_before - rent, "the admin pays both accounts");
    }
}

#[tokio::test]
async fn add_payment_mint_refusals() {
    let mut m = TestMarket::new().await;
    let admin = m.admin();
    let treasury = m.treasury.pubkey();
    for extension in [ExtensionType::TransferFeeConfig, ExtensionType::MintCloseAuthority] {
        let mint = m.create_mint_with(TOKEN_2022_PROGRAM, &[extension]).await;
        let ix = builders::add_payment_mint(&admin.pubkey(), &treasury, &mint, &TOKEN_2022_PROGRAM, MINT_TERMS);
        assert_error(m.send(&[ix], &[&admin]).await, MarketError::UnsupportedMintExtension);
    }

    let mint = m.create_mint_with(TOKEN_PROGRAM, &[]).await;
    let stranger = m.funded_keypair().await;
    let ix = builders::add_payment_mint(&stranger.pubkey(), &treasury, &mint, &TOKEN_PROGRAM, MINT_TERMS);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotAdmin);
    let ix = builders::add_payment_mint(&admin.pubkey(), &stranger.pubkey(), &mint, &TOKEN_PROGRAM, MINT_TERMS);
    assert_error(m.send(&[ix], &[&admin]).await, MarketError::WrongTreasury);
    // The mint belongs to the Token program, not Token-2022.
    let ix = builders::add_payment_mint(&admin.pubkey(), &treasury, &mint, &TOKEN_2022_PROGRAM, MINT_TERMS);
    assert_error(m.send(&[ix], &[&admin]).await, MarketError::WrongTokenProgram);
    assert!(!m.exists(&pda::payment_mint(&mint)).await);

    let ix = builders::add_payment_mint(&admin.pubkey(), &treasury, &mint, &TOKEN_PROGRAM, MINT_TERMS);
    m.send(&[ix.clone()], &[&admin]).await.unwrap();
    assert_error(m.send(&[ix], &[&admin]).await, SYSTEM_ACCOUNT_ALREADY_IN_USE);
}

#[tokio::test]
async fn a_disabled_mint_takes_no_new_jobs_or_quotes_but_settles_old_ones() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let mint = pay.token().0;
    let deal = m.open_deal_in(pay).await;
    let admin = m.admin();

    let stranger = m.funded_keypair().await;
    let ix = builders::set_payment_mint_enabled(&stranger.pubkey(), &mint, false);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotAdmin);
    m.send(&[builders::set_payment_mint_enabled(&admin.pubkey(), &mint, false)], &[&admin]).await.unwrap();
    assert!(!m.borsh_account::<PaymentMint>(&pda::payment_mint(&mint)).await.enabled);

    let job_id = m.next_job_id(&deal.client.pubkey()).await;
    let post = builders::post_job_in(&deal.client.pubkey(), job_args(&deal.client.pubkey(), job_id), &pay);
    assert_error(m.send(&[post], &[&deal.client]).await, MarketError::PaymentMintDisabled);
    let newcomer = m.registered_provider().await;
    let quote = builders::add_mint_quote(&newcomer.pubkey(), &mint, &TOKEN_PROGRAM, RATES);
    assert_error(m.send(&[quote], &[&newcomer]).await, MarketError::PaymentMintDisabled);

    // The job posted before runs to its end.
    let deal = m.assign(deal).await;
    let deal = m.start(deal).await;
    let deal = m.submit_after(deal, 600).await;
    m.send(&[builders::complete_and_pay(&deal.parties(&m), None)], &[&deal.client]).await.unwrap();

    m.send(&[builders::set_payment_mint_enabled(&admin.pubkey(), &mint, true)], &[&admin]).await.unwrap();
    m.post_job_in(&deal.client, &pay, |_| {}).await;
}

#[tokio::test]
async fn quotes_are_added_updated_and_removed_by_their_provider() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_2022_PROGRAM).await;
    let mint = pay.token().0;
    let provider = m.registered_provider().await;
    let key = provider.pubkey();
    let lamports_before = m.lamports(&key).await;

    // Zero rate for a resource the provider offers.
    let unpriced = Rates { per_gpu: 0, ..RATES };
    let ix = builders::add_mint_quote(&key, &mint, &TOKEN_2022_PROGRAM, unpriced);
    assert_error(m.send(&[ix], &[&provider]).await, MarketError::InvalidRates);
    let stranger = m.funded_keypair().await;
    let ix = builders::add_mint_quote(&stranger.pubkey(), &mint, &TOKEN_2022_PROGRAM, RATES);
    assert_error(m.send(&[ix], &[&stranger]).await, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);

    m.send(&[builders::add_mint_quote(&key, &mint, &TOKEN_2022_PROGRAM, RATES)], &[&provider]).await.unwrap();
    let quote: MintQuote = m.borsh_account(&pda::quote(&key, &mint)).await;
    assert_eq!((quote.provider, quote.mint, quote.rates), (key, mint, RATES));
    let provider_tokens = pda::ata(&key, &mint, &TOKEN_2022_PROGRAM);
    assert_eq!(m.token_balance(&provider_tokens).await, Some(0), "the provider's payout account exists");
    let quote_rent = m.lamports(&pda::quote(&key, &mint)).await;
    let ata_rent = m.lamports(&provider_tokens).await;
    assert_eq!(m.lamports(&key).await, lamports_before - quote_rent - ata_rent, "the provider pays for both");

    let dearer = Rates { per_core: RATES.per_core + 1, ..RATES };
    let ix = builders::update_mint_quote(&stranger.pubkey(), &mint, dearer);
    assert_error(m.send(&[ix], &[&stranger]).await, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
    let ix = builders::update_mint_quote(&key, &mint, unpriced);
    assert_error(m.send(&[ix], &[&provider]).await, MarketError::InvalidRates);
    m.send(&[builders::update_mint_quote(&key, &mint, dearer)], &[&provider]).await.unwrap();
    assert_eq!(m.borsh_account::<MintQuote>(&pda::quote(&key, &mint)).await.rates, dearer);

    // Someone else's quote, named by address.
    let thief = m.registered_provider().await;
    let steal = substitute(builders::remove_mint_quote(&thief.pubkey(), &mint), 1, pda::quote(&key, &mint));
    assert_error(m.send(&[steal], &[&thief]).await, MarketError::WrongQuote);
    let before = m.lamports(&key).await;
    m.send(&[builders::remove_mint_quote(&key, &mint)], &[&provider]).await.unwrap();
    assert!(!m.exists(&pda::quote(&key, &mint)).await);
    assert_eq!(m.lamports(&key).await, before + quote_rent);
}

#[tokio::test]
async fn a_token_job_goes_only_to_a_provider_quoting_its_mint() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let deal = m.open_deal_in(pay).await;
    let client = deal.client.pubkey();
    let unquoted = m.registered_provider().await;

    let ix = builders::assign_job_in(&client, &client, &deal.job, &unquoted.pubkey(), &pay, ANY_PRICE);
    assert_error(m.send(&[ix], &[&deal.client]).await, anchor_lang::error::ErrorCode::AccountNotInitialized);
    // The quoting provider's quote offered for another provider.
    let ix = builders::assign_job_in(&client, &client, &deal.job, &unquoted.pubkey(), &pay, ANY_PRICE);
    let quote_at = position(&ix, &pda::quote(&unquoted.pubkey(), &pay.token().0));
    let ix = substitute(ix, quote_at, pda::quote(&deal.provider.pubkey(), &pay.token().0));
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongQuote);
    // No quote at all: the lamport instruction shape for a token job.
    let mut ix = builders::assign_job_in(&client, &client, &deal.job, &deal.provider.pubkey(), &pay, ANY_PRICE);
    ix.accounts[quote_at].pubkey = compute_market::ID;
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongQuote);
    assert_eq!(m.tokens_of(&client, &pay).await, STARTING_TOKENS - ESCROW);
}

#[tokio::test]
async fn token_accounts_must_match_the_job_kind() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let client = m.client_paying_in(&pay).await;
    let key = client.pubkey();

    // A lamport job given token accounts, and a token job given none.
    let lamport_job = m.post_job_in(&client, &Pay::Lamports, |_| {}).await;
    let mut with_tokens = builders::cancel_job_in(&key, &lamport_job, &pay);
    assert_error(m.send(&[with_tokens.clone()], &[&client]).await, MarketError::UnexpectedTokenAccounts);
    // Even one token account is refused.
    for absent in [pda::vault_tokens(&lamport_job), pda::payment_mint(&pay.token().0), pay.token().0, TOKEN_PROGRAM] {
        let at = position(&with_tokens, &absent);
        with_tokens.accounts[at].pubkey = compute_market::ID;
    }
    assert_error(m.send(&[with_tokens], &[&client]).await, MarketError::UnexpectedTokenAccounts);

    let token_job = m.post_job_in(&client, &pay, |_| {}).await;
    let bare = builders::cancel_job_in(&key, &token_job, &Pay::Lamports);
    assert_error(m.send(&[bare], &[&client]).await, MarketError::MissingTokenAccounts);

    // Posting with only some token accounts.
    let job_id = m.next_job_id(&key).await;
    let mut partial = builders::post_job_in(&key, job_args(&key, job_id), &pay);
    let client_tokens = pda::ata(&key, &pay.token().0, &TOKEN_PROGRAM);
    let at = position(&partial, &client_tokens);
    partial.accounts[at].pubkey = compute_market::ID;
    assert_error(m.send(&[partial], &[&client]).await, MarketError::MissingTokenAccounts);
    assert_eq!(m.tokens_of(&key, &pay).await, STARTING_TOKENS - ESCROW, "only the token job's escrow left");

    m.send(&[builders::cancel_job_in(&key, &token_job, &pay)], &[&client]).await.unwrap();
    m.send(&[builders::cancel_job_in(&key, &lamport_job, &Pay::Lamports)], &[&client]).await.unwrap();
    assert_eq!(m.tokens_of(&key, &pay).await, STARTING_TOKENS);
}

/// A funded token account of `owner` in `mint` that is not its associated one.
async fn side_account(m: &mut TestMarket, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let payer = m.ctx.payer.pubkey();
    let len = anchor_spl::token::TokenAccount::LEN;
    let lamports = m.rent_exempt(len).await;
    let ixs = [
        anchor_lang::solana_program::system_instruction::create_account(&payer, &account.pubkey(), lamports, len as u64, &TOKEN_PROGRAM),
        anchor_spl::token_2022::spl_token_2022::instruction::initialize_account3(&TOKEN_PROGRAM, &account.pubkey(), mint, owner)
            .unwrap(),
    ];
    m.send(&ixs, &[&account]).await.expect("token account");
    account.pubkey()
}

#[tokio::test]
async fn wrong_mint_and_wrong_owner_token_accounts_are_refused() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let other = m.accepted_mint(TOKEN_PROGRAM).await;
    let deal = m.submitted_deal_in(pay, 1_800).await;
    let p = deal.parties(&m);
    let (client, provider, treasury) = (p.client, p.provider, m.treasury.pubkey());
    let mint = pay.token().0;
    let ata = |owner: &Pubkey| pda::ata(owner, &mint, &TOKEN_PROGRAM);
    m.fund_tokens(&client, &other).await;
    let client_other_mint = pda::ata(&client, &other.token().0, &TOKEN_PROGRAM);
    let snapshot = [m.tokens_of(&client, &pay).await, m.tokens_of(&provider, &pay).await, m.tokens_of(&treasury, &pay).await];

    // Token accounts in the right mint but of the wrong owner, each passed where another party is paid.
    let clients_side = side_account(&mut m, &client, &mint).await;
    let providers_side = side_account(&mut m, &provider, &mint).await;
    // A decoy owned by the vault PDA, not the vault's own token account.
    let decoy_vault = side_account(&mut m, &pda::vault(&p.job), &mint).await;

    let complete = builders::complete_and_pay(&p, Some(4));
    let cases = [
        // The client's account in another mint.
        (ata(&client), client_other_mint, MarketError::WrongTokenAccount),
        // The provider's payout sent to an account of the client's.
        (ata(&provider), clients_side, MarketError::WrongTokenAccount),
        // The fee sent to an account of the provider's.
        (ata(&treasury), providers_side, MarketError::WrongTokenAccount),
        // The refund sent to an account of the provider's.
        (ata(&client), providers_side, MarketError::WrongTokenAccount),
        (pda::vault_tokens(&p.job), decoy_vault, MarketError::WrongVault),
        // Another mint altogether.
        (mint, other.token().0, MarketError::WrongMint),
        // A token program that does not own the mint.
        (TOKEN_PROGRAM, TOKEN_2022_PROGRAM, MarketError::WrongTokenProgram),
    ];
    for (original, replacement, error) in cases {
        let ix = substitute(complete.clone(), position(&complete, &original), replacement);
        assert_error(m.send(&[ix], &[&deal.client]).await, error);
    }
    let stranger_payment_mint = substitute(complete.clone(), position(&complete, &pda::payment_mint(&mint)), pda::payment_mint(&other.token().0));
    assert_error(m.send(&[stranger_payment_mint], &[&deal.client]).await, MarketError::WrongMint);
    let after = [m.tokens_of(&client, &pay).await, m.tokens_of(&provider, &pay).await, m.tokens_of(&treasury, &pay).await];
    assert_eq!(after, snapshot, "refusals move nothing");

    // Any token account of the right owner and mint is accepted, not only the associated one.
    let ix = substitute(complete.clone(), position(&complete, &ata(&provider)), providers_side);
    m.send(&[ix], &[&deal.client]).await.unwrap();
    // Half an hour at the agreed price, less the fee.
    let payment = AGREED_PRICE / 2;
    assert_eq!(m.token_balance(&providers_side).await, Some(payment - payment * u64::from(FEE_BPS) / 10_000));
    assert_eq!(m.tokens_of(&provider, &pay).await, 0);
}

/// `vault_tokens_bump` belongs to token jobs alone: a lamport job given one and a token job without one
/// are refused by name, a bump that does not derive the vault token account passed fails the runtime's
/// address check (as the job's and vault's bumps do), and nothing moves.
#[tokio::test]
async fn the_vault_token_account_bump_is_a_token_jobs_alone_and_must_derive_its_address() {
    let mut m = TestMarket::new().await;
    let pay = m.accepted_mint(TOKEN_PROGRAM).await;
    let client = m.client_paying_in(&pay).await;
    let key = client.pubkey();
    let (lamports, tokens) = (m.lamports(&key).await, m.tokens_of(&key, &pay).await);
    let job_id = m.next_job_id(&key).await;
    let job = pda::job(&key, job_id);
    let args = job_args(&key, job_id);
    let (_, canonical) = pda::vault_tokens_with_bump(&job);

    let lamport_job_with_a_bump = builders::post_job(&key, compute_market::instructions::PostJobArgs { vault_tokens_bump: Some(canonical), ..args.clone() });
    assert_error(m.send(&[lamport_job_with_a_bump], &[&client]).await, MarketError::UnexpectedTokenAccounts);
    // The token job's accounts with the arguments of a lamport job (no bump).
    let mut token_job_without = builders::post_job_in(&key, args.clone(), &pay);
    token_job_without.data = builders::post_job(&key, args.clone()).data;
    assert_error(m.send(&[token_job_without], &[&client]).await, MarketError::MissingTokenAccounts);
    let other = other_valid_bump(&[compute_market::constants::VAULT_TOKENS_SEED, job.as_ref()], canonical);
    let wrong = builders::post_job_in(&key, compute_market::instructions::PostJobArgs { vault_tokens_bump: Some(other), ..args.clone() }, &pay);
    assert_instruction_error(m.send(&[wrong], &[&client]).await, address_refusal());
    assert_eq!((m.lamports(&key).await, m.tokens_of(&key, &pay).await), (lamports, tokens), "nothing moved");
    assert!(!m.exists(&job).await);

    m.send(&[builders::post_job_in(&key, args, &pay)], &[&client]).await.expect("the canonical bump posts");
    assert_eq!(m.token_balance(&pda::vault_tokens(&job)).await, Some(ESCROW));
}
