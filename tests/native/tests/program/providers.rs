//! register_provider, update_provider, set_provider_active, close_provider.

use compute_market::constants::{ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, MAX_CPU_CORES, MAX_GPUS, MAX_RATE_PER_UNIT_HOUR, MAX_URI_LEN};
use compute_market::error::MarketError;
use compute_market::instructions::{RegisterProviderArgs, UpdateMarketArgs, UpdateProviderArgs};
use compute_market::state::{space, Hardware, Provider, Rates, Resources};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

#[tokio::test]
async fn register_provider_charges_rent_and_starts_neutral() {
    let mut m = TestMarket::new().await;
    let authority = m.funded_keypair().await;
    let now = m.now().await;
    m.send(&[builders::register_provider(&authority.pubkey(), provider_args())], &[&authority]).await.unwrap();

    let rent = m.rent_exempt(space::<Provider>()).await;
    let key = pda::provider(&authority.pubkey());
    assert_eq!(m.lamports(&authority.pubkey()).await, STARTING_LAMPORTS - rent);
    assert_eq!(m.lamports(&key).await, rent);
    let provider: Provider = m.account(&key).await;
    assert_eq!(provider.authority, authority.pubkey());
    assert!(provider.is_active());
    assert_eq!((provider.capacity, provider.free, provider.rates), (CAPACITY, CAPACITY, RATES));
    assert_eq!(provider.reputation, 5_000);
    assert_eq!((provider.active_jobs, provider.jobs_completed, provider.total_earned), (0, 0, 0));
    assert_eq!((provider.registered_at, provider.last_active_at), (now, now));
    assert_eq!(provider.metadata_uri.to_string_lossy(), provider_args().metadata_uri);
    assert_eq!((provider.assignment, provider.retired), (ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER, 0));
}

#[tokio::test]
async fn register_provider_rejects_bad_offers() {
    let mut m = TestMarket::new().await;
    let authority = m.funded_keypair().await;
    let cases: Vec<(Box<dyn Fn(&mut RegisterProviderArgs)>, MarketError)> = vec![
        (Box::new(|a| a.capacity = Resources::default()), MarketError::InvalidCapacity),
        (Box::new(|a| a.capacity.cpu_cores = MAX_CPU_CORES + 1), MarketError::InvalidCapacity),
        (Box::new(|a| a.capacity.gpus = MAX_GPUS + 1), MarketError::InvalidCapacity),
        (Box::new(|a| a.rates.per_gpu = 0), MarketError::InvalidRates),
        (Box::new(|a| a.rates.per_core = MAX_RATE_PER_UNIT_HOUR + 1), MarketError::InvalidRates),
        (Box::new(|a| a.metadata_uri = String::new()), MarketError::InvalidUri),
        (Box::new(|a| a.metadata_uri = "x".repeat(MAX_URI_LEN as usize + 1)), MarketError::InvalidUri),
        (Box::new(|a| a.assignment = 4), MarketError::InvalidAssignmentPolicy),
    ];
    for (edit, expected) in cases {
        let mut args = provider_args();
        edit(&mut args);
        assert_error(m.send(&[builders::register_provider(&authority.pubkey(), args)], &[&authority]).await, expected);
    }
    assert_eq!(m.lamports(&authority.pubkey()).await, STARTING_LAMPORTS);
    assert!(!m.exists(&pda::provider(&authority.pubkey())).await);
}

#[tokio::test]
async fn register_provider_accepts_the_longest_uri_and_storage_only_offers() {
    let mut m = TestMarket::new().await;
    let storage_only = RegisterProviderArgs {
        capacity: Resources { storage_gb: 10_000, ..Resources::default() },
        rates: Rates { per_gb_storage: 5, ..Rates::default() },
        hardware: Hardware::default(),
        metadata_uri: "u".repeat(MAX_URI_LEN as usize),
        assignment: 0,
    };
    let provider = m.registered_provider_with(storage_only.clone()).await;
    let stored: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!((stored.capacity, stored.metadata_uri.to_string_lossy().into_owned()), (storage_only.capacity, storage_only.metadata_uri));
}

#[tokio::test]
async fn register_provider_twice_fails() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let balance = m.lamports(&provider.pubkey()).await;
    let again = builders::register_provider(&provider.pubkey(), provider_args());
    assert_error(m.send(&[again], &[&provider]).await, MarketError::ProviderAlreadyRegistered);
    assert_eq!(m.lamports(&provider.pubkey()).await, balance);
}

#[tokio::test]
async fn update_provider_resizes_around_jobs_in_flight() {
    let mut m = TestMarket::new().await;
    let deal = m.assigned_deal().await;
    let key = pda::provider(&deal.provider.pubkey());
    let bigger = Resources { cpu_cores: 32, ..CAPACITY };
    let args = UpdateProviderArgs {
        capacity: Some(bigger),
        rates: None,
        hardware: None,
        metadata_uri: Some("https://new.example".into()),
        assignment: Some(ASSIGN_BY_MATCHER),
    };
    m.send(&[builders::update_provider(&deal.provider.pubkey(), args)], &[&deal.provider]).await.unwrap();
    let provider: Provider = m.account(&key).await;
    assert_eq!(provider.capacity, bigger);
    assert_eq!(provider.free, Resources { cpu_cores: 28, ram_gb: 48, storage_gb: 900, gpus: 1 });
    assert_eq!((provider.rates, provider.metadata_uri.to_string_lossy().as_ref()), (RATES, "https://new.example"));
    assert_eq!(provider.assignment, ASSIGN_BY_MATCHER);

    // Below what the running job holds: refused.
    let too_small = UpdateProviderArgs { capacity: Some(Resources { ram_gb: 15, ..CAPACITY }), ..Default::default() };
    assert_error(
        m.send(&[builders::update_provider(&deal.provider.pubkey(), too_small)], &[&deal.provider]).await,
        MarketError::CapacityInUse,
    );
    let unpriced = UpdateProviderArgs { rates: Some(Rates { per_core: 0, ..RATES }), ..Default::default() };
    assert_error(
        m.send(&[builders::update_provider(&deal.provider.pubkey(), unpriced)], &[&deal.provider]).await,
        MarketError::InvalidRates,
    );
    let long_uri = UpdateProviderArgs { metadata_uri: Some("x".repeat(MAX_URI_LEN as usize + 1)), ..Default::default() };
    assert_error(
        m.send(&[builders::update_provider(&deal.provider.pubkey(), long_uri)], &[&deal.provider]).await,
        MarketError::InvalidUri,
    );
    assert_eq!(m.account::<Provider>(&key).await.capacity, bigger);
}

#[tokio::test]
async fn provider_changes_need_its_authority() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let stranger = m.funded_keypair().await;
    let mut update = builders::update_provider(&stranger.pubkey(), UpdateProviderArgs::default());
    update.accounts[1].pubkey = pda::provider(&provider.pubkey());
    assert_error(m.send(&[update], &[&stranger]).await, MarketError::WrongProvider);
    let mut pause = builders::set_provider_active(&stranger.pubkey(), false);
    pause.accounts[1].pubkey = pda::provider(&provider.pubkey());
    assert_error(m.send(&[pause], &[&stranger]).await, MarketError::WrongProvider);
    let mut close = builders::close_provider(&stranger.pubkey());
    close.accounts[1].pubkey = pda::provider(&provider.pubkey());
    assert_error(m.send(&[close], &[&stranger]).await, MarketError::WrongProvider);
    assert!(m.account::<Provider>(&pda::provider(&provider.pubkey())).await.is_active());
}

#[tokio::test]
async fn set_provider_active_toggles_and_works_while_paused() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let admin = m.admin();
    m.send(&[builders::update_market(&admin.pubkey(), None, UpdateMarketArgs { paused: Some(true), ..Default::default() })], &[&admin])
        .await
        .unwrap();
    m.send(&[builders::set_provider_active(&provider.pubkey(), false)], &[&provider]).await.unwrap();
    assert!(!m.account::<Provider>(&pda::provider(&provider.pubkey())).await.is_active());
    m.send(&[builders::set_provider_active(&provider.pubkey(), true)], &[&provider]).await.unwrap();
    assert!(m.account::<Provider>(&pda::provider(&provider.pubkey())).await.is_active());
}

#[tokio::test]
async fn close_provider_retires_it_keeping_its_record_until_it_registers_again() {
    let mut m = TestMarket::new().await;
    let deal = m.submitted_deal_after(3_600).await;
    let key = pda::provider(&deal.provider.pubkey());
    assert_error(
        m.send(&[builders::close_provider(&deal.provider.pubkey())], &[&deal.provider]).await,
        MarketError::ProviderHasActiveJobs,
    );
    let parties = deal.parties(&m);
    m.send(&[builders::complete_and_pay(&parties, Some(5))], &[&deal.client]).await.unwrap();
    let (_, fee, _) = expected_split(3_600);

    // The fees its jobs set aside stay for the treasury; nothing else is owed, so nothing is returned.
    let held = m.lamports(&key).await;
    assert_eq!(held, m.rent_exempt(space::<Provider>()).await + fee);
    let before = m.lamports(&deal.provider.pubkey()).await;
    m.send(&[builders::close_provider(&deal.provider.pubkey())], &[&deal.provider]).await.unwrap();
    assert_eq!(m.lamports(&deal.provider.pubkey()).await, before);
    assert_eq!(m.lamports(&key).await, held);
    let retired: Provider = m.account(&key).await;
    assert_eq!((retired.retired, retired.is_active(), retired.jobs_completed, retired.fees_owed), (1, false, 1, fee));

    // Retired: it cannot be reactivated, updated or closed again, only registered again.
    assert_error(
        m.send(&[builders::set_provider_active(&deal.provider.pubkey(), true)], &[&deal.provider]).await,
        MarketError::ProviderRetired,
    );
    assert_error(
        m.send(&[builders::update_provider(&deal.provider.pubkey(), UpdateProviderArgs::default())], &[&deal.provider]).await,
        MarketError::ProviderRetired,
    );
    assert_error(m.send(&[builders::close_provider(&deal.provider.pubkey())], &[&deal.provider]).await, MarketError::ProviderRetired);
    let client = m.registered_client().await;
    let job = m.post_job_with(&client, |_| {}).await;
    let ix = builders::assign_job(&client.pubkey(), &client.pubkey(), &job, &deal.provider.pubkey(), ANY_PRICE);
    assert_error(m.send(&[ix], &[&client]).await, MarketError::ProviderInactive);

    // Registering again reopens the same record: the history and the score come back with it.
    m.send(&[builders::register_provider(&deal.provider.pubkey(), provider_args())], &[&deal.provider]).await.unwrap();
    let reopened: Provider = m.account(&key).await;
    assert_eq!((reopened.retired, reopened.is_active(), reopened.jobs_completed), (0, true, 1));
    assert_eq!((reopened.reputation, reopened.delivered_units, reopened.fees_owed), (retired.reputation, retired.delivered_units, fee));
    assert_eq!(m.lamports(&deal.provider.pubkey()).await, before, "no second rent");
}
