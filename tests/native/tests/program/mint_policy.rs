//! Which mints may hold escrow: a freeze authority only when the admin acknowledges it (and a frozen
//! vault settles once thawed), every Token-2022 extension that could change or lock the escrow refused
//! by name, wrapped SOL refused under both token programs.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use compute_market::error::MarketError;
use compute_market::instructions::AddPaymentMintArgs;
use compute_market::state::{JobStatus, Job, PaymentMint};
use compute_market_tests::builders::{self, Pay};
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use compute_market_tests::tokens::*;
use solana_signer::Signer;

const ACKNOWLEDGED: AddPaymentMintArgs = AddPaymentMintArgs { acknowledge_freeze_authority: true, ..MINT_TERMS };

async fn add_mint(m: &mut TestMarket, mint: &Pubkey, token_program: &Pubkey, args: AddPaymentMintArgs) -> TxResult {
    let admin = m.admin();
    let ix = builders::add_payment_mint(&admin.pubkey(), &m.treasury.pubkey(), mint, token_program, args);
    m.send(&[ix], &[&admin]).await
}

#[tokio::test]
async fn a_mint_that_can_freeze_the_escrow_needs_the_admins_acknowledgement_under_both_token_programs() {
    for program in [TOKEN_PROGRAM, TOKEN_2022_PROGRAM] {
        let mut m = TestMarket::new().await;
        let mint = m.create_freezable_mint(program, &[]).await;
        assert_error(add_mint(&mut m, &mint, &program, MINT_TERMS).await, MarketError::MintHasFreezeAuthority);
        assert!(!m.exists(&pda::payment_mint(&mint)).await);
        let zero_weight = AddPaymentMintArgs { reputation_lamports_per_token: 0, ..ACKNOWLEDGED };
        assert_error(add_mint(&mut m, &mint, &program, zero_weight).await, MarketError::InvalidReputationValue);

        add_mint(&mut m, &mint, &program, ACKNOWLEDGED).await.unwrap();
        let record: PaymentMint = m.borsh_account(&pda::payment_mint(&mint)).await;
        assert_eq!((record.freeze_authority, record.token_program), (m.ctx.payer.pubkey(), program), "the authority is on record");
        // A mint without one records none, and needs no acknowledgement.
        let plain = m.create_mint_with(program, &[]).await;
        add_mint(&mut m, &plain, &program, MINT_TERMS).await.unwrap();
        assert_eq!(m.borsh_account::<PaymentMint>(&pda::payment_mint(&plain)).await.freeze_authority, Pubkey::default());
    }
}

#[tokio::test]
async fn a_frozen_vault_refuses_every_exit_by_name_and_settles_once_thawed() {
    for program in [TOKEN_PROGRAM, TOKEN_2022_PROGRAM] {
        let mut m = TestMarket::new().await;
        let mint = m.create_freezable_mint(program, &[]).await;
        add_mint(&mut m, &mint, &program, ACKNOWLEDGED).await.unwrap();
        let pay = Pay::Token { mint, token_program: program };
        let deal = m.submitted_deal_in(pay, 1_800).await;
        let p = deal.parties(&m);
        let vault = pda::vault_tokens(&p.job);
        m.set_frozen(&vault, &pay, true).await;

        assert_error(m.send(&[builders::complete_and_pay(&p, None)], &[&deal.client]).await, MarketError::EscrowFrozen);
        m.warp(i64::from(WINDOWS.review_window_secs) + 1).await;
        let keeper = m.funded_keypair().await;
        assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::EscrowFrozen);
        assert_eq!(m.account::<Job>(&p.job).await.status().unwrap(), JobStatus::Submitted, "nothing moved, the job waits");

        // A frozen party account is refused by name too; the party passes another of its accounts.
        m.set_frozen(&vault, &pay, false).await;
        let client_tokens = pda::ata(&p.client, &mint, &program);
        m.set_frozen(&client_tokens, &pay, true).await;
        assert_error(m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await, MarketError::TokenAccountFrozen);
        m.set_frozen(&client_tokens, &pay, false).await;

        m.send(&[builders::finalize_job(&keeper.pubkey(), &p)], &[&keeper]).await.expect("settles after the thaw");
        let (to_provider, fee, _) = expected_split(1_800);
        assert_eq!((m.tokens_of(&p.provider, &pay).await, m.tokens_of(&p.treasury, &pay).await), (to_provider, fee));
        assert_eq!(m.tokens_of(&p.client, &pay).await, STARTING_TOKENS - to_provider - fee);
        assert!(!m.exists(&vault).await);
    }
}

#[tokio::test]
async fn every_extension_that_could_change_or_lock_the_escrow_is_refused_by_name() {
    let refused = [
        ExtensionType::TransferFeeConfig,
        ExtensionType::MintCloseAuthority,
        ExtensionType::TransferHook,
        ExtensionType::PermanentDelegate,
        ExtensionType::DefaultAccountState,
        ExtensionType::NonTransferable,
        ExtensionType::Pausable,
        ExtensionType::ConfidentialTransferMint,
    ];
    let mut m = TestMarket::new().await;
    for extension in refused {
        // A default-frozen state needs a freeze authority; acknowledging it does not make the extension safe.
        let mint = if extension == ExtensionType::DefaultAccountState {
            m.create_freezable_mint(TOKEN_2022_PROGRAM, &[extension]).await
        } else {
            m.create_mint_with(TOKEN_2022_PROGRAM, &[extension]).await
        };
        let result = add_mint(&mut m, &mint, &TOKEN_2022_PROGRAM, ACKNOWLEDGED).await;
        if Tier::current() == Tier::Sbf {
            let logs = &result.as_ref().unwrap_err().logs;
            let named = format!("mint extension {extension:?} is not supported");
            assert!(logs.iter().any(|line| line.contains(&named)), "{extension:?} not named: {logs:#?}");
        }
        assert_error(result, MarketError::UnsupportedMintExtension);
        assert!(!m.exists(&pda::payment_mint(&mint)).await, "{extension:?}");
    }
}

#[tokio::test]
async fn wrapped_sol_is_refused_under_either_token_program() {
    let mut m = TestMarket::new().await;
    let natives = [
        (anchor_spl::token::spl_token::native_mint::ID, TOKEN_PROGRAM),
        (anchor_spl::token_2022::spl_token_2022::native_mint::ID, TOKEN_2022_PROGRAM),
    ];
    for (mint, program) in natives {
        if !m.exists(&mint).await {
            // The ledger has no such mint: create it as the token program would (native mints have no authorities).
            let ix = anchor_spl::token_2022::spl_token_2022::instruction::create_native_mint(&program, &m.ctx.payer.pubkey());
            if let Ok(ix) = ix {
                m.send(&[ix], &[]).await.expect("native mint");
            }
        }
        assert!(m.exists(&mint).await, "the ledger holds the native mint of {program}");
        assert_error(add_mint(&mut m, &mint, &program, ACKNOWLEDGED).await, MarketError::NativeMintNotAccepted);
    }
}
