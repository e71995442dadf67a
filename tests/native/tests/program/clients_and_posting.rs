//! register_client, post_job, cancel_job.

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::Pubkey;
use compute_market::constants::*;
use compute_market::error::MarketError;
use compute_market::instructions::PostJobArgs;
use compute_market::state::{space, ClientProfile, Job, JobStatus, Resources, Vault};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_instruction::error::InstructionError;
use solana_signer::Signer;

#[tokio::test]
async fn register_client_creates_an_empty_profile() {
    let mut m = TestMarket::new().await;
    let client = m.funded_keypair().await;
    m.send(&[builders::register_client(&client.pubkey())], &[&client]).await.unwrap();
    let rent = m.rent_exempt(space::<ClientProfile>()).await;
    assert_eq!(m.lamports(&client.pubkey()).await, STARTING_LAMPORTS - rent);
    let profile: ClientProfile = m.account(&pda::client_profile(&client.pubkey())).await;
    assert_eq!(profile.authority, client.pubkey());
    assert_eq!((profile.next_job_id, profile.jobs_posted, profile.total_spent, profile.total_refunded), (0, 0, 0, 0));
    assert_error(
        m.send(&[builders::register_client(&client.pubkey())], &[&client]).await,
        SYSTEM_ACCOUNT_ALREADY_IN_USE,
    );
}

#[tokio::test]
async fn post_job_escrows_max_price_times_duration() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let before = m.lamports(&client.pubkey()).await;
    let now = m.now().await;
    let job_key = m.post_job_with(&client, |_| {}).await;

    let job_rent = m.rent_exempt(space::<Job>()).await;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    let vault = pda::vault(&job_key);
    assert_eq!(m.lamports(&client.pubkey()).await, before - job_rent - vault_rent - ESCROW);
    assert_eq!(m.lamports(&vault).await, vault_rent + ESCROW);
    assert_eq!(m.lamports(&job_key).await, job_rent);
    assert_eq!(m.account::<Vault>(&vault).await.job, job_key);

    let job: Job = m.account(&job_key).await;
    assert_eq!((job.client, job.provider, job.status().unwrap()), (client.pubkey(), Default::default(), JobStatus::Open));
    assert_eq!((job.job_id, job.escrow, job.requirements, job.duration_secs), (0, ESCROW, REQUIREMENTS, DURATION_SECS));
    assert_eq!((job.max_price_per_hour, job.agreed_price_per_hour, job.posted_at), (MAX_PRICE, 0, now));
    assert_eq!((job.spec_hash, job.payment_mint, job.target_provider()), (SPEC_HASH, Default::default(), None));
    assert_eq!(job.spec_uri.to_string_lossy(), job_args(&client.pubkey(), 0).spec_uri);

    let profile: ClientProfile = m.account(&pda::client_profile(&client.pubkey())).await;
    assert_eq!((profile.next_job_id, profile.jobs_posted), (1, 1));

    // The next job takes the next id.
    let second = m.post_job_with(&client, |_| {}).await;
    assert_eq!(second, pda::job(&client.pubkey(), 1));
}

#[tokio::test]
async fn post_job_rejects_bad_terms() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let provider = m.funded_keypair().await.pubkey();
    let me = client.pubkey();
    let cases: Vec<(Box<dyn Fn(&mut PostJobArgs)>, MarketError)> = vec![
        (Box::new(|a| a.requirements = Resources::default()), MarketError::InvalidRequirements),
        (Box::new(|a| a.requirements.ram_gb = MAX_RAM_GB + 1), MarketError::InvalidRequirements),
        (Box::new(|a| a.requirements.storage_gb = MAX_STORAGE_GB + 1), MarketError::InvalidRequirements),
        (Box::new(|a| a.duration_secs = MIN_JOB_DURATION_SECS - 1), MarketError::InvalidDuration),
        (Box::new(|a| a.duration_secs = MAX_JOB_DURATION_SECS + 1), MarketError::InvalidDuration),
        (Box::new(|a| a.max_price_per_hour = 0), MarketError::InvalidPrice),
        (Box::new(|a| a.max_price_per_hour = MAX_PRICE_PER_HOUR + 1), MarketError::InvalidPrice),
        // 59 lamports an hour for a minute rounds to no escrow at all.
        (Box::new(|a| { a.max_price_per_hour = 59; a.duration_secs = 60; }), MarketError::InvalidPrice),
        (Box::new(|a| a.min_reputation = MAX_REPUTATION + 1), MarketError::InvalidMinReputation),
        (Box::new(|a| a.spec_hash = [0; 32]), MarketError::InvalidHash),
        (Box::new(|a| a.spec_uri = String::new()), MarketError::InvalidUri),
        (Box::new(|a| a.spec_uri = "s".repeat(MAX_URI_LEN as usize + 1)), MarketError::InvalidUri),
        (Box::new(move |a| a.target_provider = Some(me)), MarketError::InvalidTargetProvider),
        (Box::new(|a| a.target_provider = Some(Default::default())), MarketError::InvalidTargetProvider),
    ];
    let before = m.lamports(&client.pubkey()).await;
    for (edit, expected) in cases {
        let mut args = job_args(&client.pubkey(), 0);
        args.target_provider = Some(provider);
        edit(&mut args);
        assert_error(m.send(&[builders::post_job(&client.pubkey(), args)], &[&client]).await, expected);
    }
    assert_eq!(m.lamports(&client.pubkey()).await, before);
    assert!(!m.exists(&pda::job(&client.pubkey(), 0)).await);
}

#[tokio::test]
async fn post_job_needs_the_next_id_and_the_clients_own_profile() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let other = m.registered_client().await;
    assert_error(
        m.send(&[builders::post_job(&client.pubkey(), job_args(&client.pubkey(), 1))], &[&client]).await,
        MarketError::JobIdMismatch,
    );
    let mut ix = builders::post_job(&client.pubkey(), job_args(&client.pubkey(), 0));
    ix.accounts[2].pubkey = pda::client_profile(&other.pubkey()); // [client, market, client_profile, ...]
    assert_error(m.send(&[ix], &[&client]).await, MarketError::WrongClientProfile);
    // Without a profile the job cannot be posted; bundling register_client makes it work in one transaction.
    let newcomer = m.funded_keypair().await;
    assert_error(
        m.send(&[builders::post_job(&newcomer.pubkey(), job_args(&newcomer.pubkey(), 0))], &[&newcomer]).await,
        ErrorCode::AccountOwnedByWrongProgram,
    );
    m.send(&[builders::register_client(&newcomer.pubkey()), builders::post_job(&newcomer.pubkey(), job_args(&newcomer.pubkey(), 0))], &[&newcomer])
        .await
        .unwrap();
    assert_eq!(m.account::<Job>(&pda::job(&newcomer.pubkey(), 0)).await.escrow, ESCROW);
}

/// The runtime creates only the PDA that the seeds and supplied bumps derive; anything else fails the
/// System Program call as a privilege escalation, before any lamport moves. (Natively, program-test's
/// CPI stub panics on that refusal, so the builtin run reports the program failed to complete.)
#[tokio::test]
async fn post_job_creates_only_the_addresses_its_seeds_derive() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let key = client.pubkey();
    let before = m.lamports(&key).await;
    let standard = job_args(&key, 0);
    let job = pda::job(&key, 0);
    let job_seeds: &[&[u8]] = &[JOB_SEED, key.as_ref(), &0u64.to_le_bytes()];
    let wrong_job_bump = PostJobArgs { job_bump: other_valid_bump(job_seeds, standard.job_bump), ..standard.clone() };
    let vault_seeds: &[&[u8]] = &[VAULT_SEED, job.as_ref()];
    let wrong_vault_bump = PostJobArgs { vault_bump: other_valid_bump(vault_seeds, standard.vault_bump), ..standard.clone() };
    let mut someone_elses_job = builders::post_job(&key, standard);
    someone_elses_job.accounts[3].pubkey = pda::job(&m.registered_client().await.pubkey(), 0);
    let mut wrong_vault = builders::post_job(&key, job_args(&key, 0));
    wrong_vault.accounts[4].pubkey = pda::vault(&pda::job(&key, 1));
    for ix in [builders::post_job(&key, wrong_job_bump), builders::post_job(&key, wrong_vault_bump), someone_elses_job, wrong_vault] {
        assert_instruction_error(m.send(&[ix], &[&client]).await, address_refusal());
    }
    assert_eq!(m.lamports(&key).await, before);
    assert!(!m.exists(&job).await);
}

/// How the runtime refuses a System Program call signed for an address the seeds do not derive.
pub(crate) fn address_refusal() -> InstructionError {
    match Tier::current() {
        Tier::Sbf => InstructionError::PrivilegeEscalation,
        Tier::Native => InstructionError::ProgramFailedToComplete,
    }
}

/// A bump below the canonical one that also derives a PDA (off the curve) from `seeds`.
pub(crate) fn other_valid_bump(seeds: &[&[u8]], canonical: u8) -> u8 {
    (0..canonical)
        .rev()
        .find(|bump| Pubkey::create_program_address(&[seeds, &[&[*bump]]].concat(), &compute_market::ID).is_ok())
        .expect("another bump derives a PDA")
}

#[tokio::test]
async fn lamports_sent_ahead_to_a_job_address_do_not_block_it() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let key = client.pubkey();
    let (job, vault) = (pda::job(&key, 0), pda::vault(&pda::job(&key, 0)));
    // Each gift is above the rent-exempt minimum of an empty account, below that of the account to be.
    m.fund_with(&[job, vault], 1_000_000).await;
    let before = m.lamports(&key).await;
    assert_eq!(m.post_job_with(&client, |_| {}).await, job);

    let job_rent = m.rent_exempt(space::<Job>()).await;
    let vault_rent = m.rent_exempt(space::<Vault>()).await;
    assert_eq!(m.lamports(&job).await, job_rent);
    assert_eq!(m.lamports(&vault).await, vault_rent + ESCROW);
    assert_eq!(m.lamports(&key).await, before - (job_rent - 1_000_000) - (vault_rent + ESCROW - 1_000_000));
    assert_eq!(m.account::<Job>(&job).await.escrow, ESCROW);
    assert_eq!(m.account::<Vault>(&vault).await.job, job);
}

#[tokio::test]
async fn post_job_fails_without_funds_and_moves_nothing() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let balance = m.lamports(&client.pubkey()).await;
    // Escrow far above the client's balance.
    let result = m
        .send(
            &[builders::post_job(&client.pubkey(), PostJobArgs { max_price_per_hour: MAX_PRICE_PER_HOUR, duration_secs: MAX_JOB_DURATION_SECS, ..job_args(&client.pubkey(), 0) })],
            &[&client],
        )
        .await;
    assert!(result.is_err());
    assert_eq!(m.lamports(&client.pubkey()).await, balance);
}

#[tokio::test]
async fn cancel_job_refunds_escrow_and_rent_in_full() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let before = m.lamports(&client.pubkey()).await;
    let job = m.post_job_with(&client, |_| {}).await;
    m.send(&[builders::cancel_job(&client.pubkey(), &job)], &[&client]).await.unwrap();

    assert_eq!(m.lamports(&client.pubkey()).await, before);
    assert!(!m.exists(&job).await);
    assert!(!m.exists(&pda::vault(&job)).await);
    let profile: ClientProfile = m.account(&pda::client_profile(&client.pubkey())).await;
    assert_eq!((profile.jobs_cancelled, profile.total_refunded, profile.next_job_id), (1, ESCROW, 1));

    // Reuse after close: the job is gone.
    assert_error(
        m.send(&[builders::cancel_job(&client.pubkey(), &job)], &[&client]).await,
        ErrorCode::AccountOwnedByWrongProgram,
    );
}

#[tokio::test]
async fn cancel_job_only_by_its_client_and_only_while_open() {
    let mut m = TestMarket::new().await;
    let deal = m.open_deal().await;
    let stranger = m.registered_client().await;
    // [client, client_profile, job, vault, ...]
    let ix = builders::cancel_job(&stranger.pubkey(), &deal.job);
    assert_error(m.send(&[ix], &[&stranger]).await, MarketError::NotJobClient);

    // Another job's vault cannot stand in.
    let other_job = m.post_job_with(&deal.client, |_| {}).await;
    let mut ix = builders::cancel_job(&deal.client.pubkey(), &deal.job);
    ix.accounts[3].pubkey = pda::vault(&other_job);
    assert_error(m.send(&[ix], &[&deal.client]).await, MarketError::WrongVault);

    let assign = builders::assign_job(&deal.client.pubkey(), &deal.client.pubkey(), &deal.job, &deal.provider.pubkey(), ANY_PRICE);
    m.send(&[assign], &[&deal.client]).await.unwrap();
    assert_error(
        m.send(&[builders::cancel_job(&deal.client.pubkey(), &deal.job)], &[&deal.client]).await,
        MarketError::InvalidJobStatus,
    );
    assert_eq!(m.account::<Job>(&deal.job).await.status().unwrap(), JobStatus::Assigned);
}
