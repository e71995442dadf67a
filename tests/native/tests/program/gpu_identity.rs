//! GPU identity: a provider declares the model and memory of the GPUs it offers (and its CPU
//! architecture); a job may ask for a least memory per GPU, a family or a list of models, and
//! assign_job refuses, by name and moving nothing, a provider whose GPUs do not meet them.

use compute_market::constants::{CPU_ARCH_AARCH64, MAX_VRAM_GB};
use compute_market::error::MarketError;
use compute_market::instructions::{RegisterProviderArgs, UpdateProviderArgs};
use compute_market::state::{GpuNeeds, Hardware, Job, JobStatus, Provider, Resources};
use compute_market_tests::builders;
use compute_market_tests::harness::*;
use compute_market_tests::pda;
use compute_market_tests::scenario::*;
use solana_signer::Signer;

const A100_80: u16 = 0x0202;
const A100_40: u16 = 0x0201;
const H100: u16 = 0x0101;

#[tokio::test]
async fn a_provider_records_its_hardware_and_offered_gpus_must_say_what_they_are() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await;
    let stored: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!(stored.hardware(), HARDWARE);

    let anonymous = RegisterProviderArgs { hardware: Hardware::default(), ..provider_args() };
    let nameless = m.funded_keypair().await;
    assert_error(m.send(&[builders::register_provider(&nameless.pubkey(), anonymous)], &[&nameless]).await, MarketError::InvalidHardware);
    let too_much = RegisterProviderArgs { hardware: Hardware { vram_gb: MAX_VRAM_GB + 1, ..HARDWARE }, ..provider_args() };
    assert_error(m.send(&[builders::register_provider(&nameless.pubkey(), too_much)], &[&nameless]).await, MarketError::InvalidHardware);
    assert!(!m.exists(&pda::provider(&nameless.pubkey())).await, "nothing was created");

    // Dropping the GPUs keeps a model that no longer describes anything: refused until declared again.
    let no_gpus = Resources { gpus: 0, ..CAPACITY };
    let stale = UpdateProviderArgs { capacity: Some(no_gpus), ..Default::default() };
    assert_error(m.send(&[builders::update_provider(&provider.pubkey(), stale)], &[&provider]).await, MarketError::InvalidHardware);
    let cpu_only = Hardware { cpu_arch: CPU_ARCH_AARCH64, ..Hardware::default() };
    let declared = UpdateProviderArgs { capacity: Some(no_gpus), hardware: Some(cpu_only), ..Default::default() };
    m.send(&[builders::update_provider(&provider.pubkey(), declared)], &[&provider]).await.unwrap();
    let stored: Provider = m.account(&pda::provider(&provider.pubkey())).await;
    assert_eq!((stored.capacity, stored.hardware()), (no_gpus, cpu_only));
}

#[tokio::test]
async fn gpu_needs_are_for_gpu_jobs_and_name_models_of_their_family() {
    let mut m = TestMarket::new().await;
    let client = m.registered_client().await;
    let job_id = m.next_job_id(&client.pubkey()).await;
    let before = m.lamports(&client.pubkey()).await;
    let cpu_job = |gpu: GpuNeeds| {
        let mut args = job_args(&client.pubkey(), job_id);
        args.requirements.gpus = 0;
        args.gpu = gpu;
        builders::post_job(&client.pubkey(), args)
    };
    assert_error(m.send(&[cpu_job(GpuNeeds { min_vram_gb: 16, ..GpuNeeds::default() })], &[&client]).await, MarketError::InvalidGpuNeeds);
    let mixed = GpuNeeds { models: [A100_80, H100, 0, 0], family: 0x02, min_vram_gb: 0 };
    let mut args = job_args(&client.pubkey(), job_id);
    args.gpu = mixed;
    assert_error(m.send(&[builders::post_job(&client.pubkey(), args)], &[&client]).await, MarketError::InvalidGpuNeeds);
    assert_eq!(m.lamports(&client.pubkey()).await, before, "nothing was escrowed");

    let needs = GpuNeeds { models: [A100_40, A100_80, 0, 0], family: 0x02, min_vram_gb: 40 };
    let job = m.post_job_with(&client, |args| args.gpu = needs).await;
    assert_eq!(m.account::<Job>(&job).await.gpu, needs);
}

#[tokio::test]
async fn assignment_refuses_gpus_that_do_not_meet_the_jobs_needs_and_moves_nothing() {
    let mut m = TestMarket::new().await;
    let provider = m.registered_provider().await; // 2 x A100 80 GB
    let client = m.registered_client().await;
    let refusals = [
        (GpuNeeds { min_vram_gb: 81, ..GpuNeeds::default() }, MarketError::GpuMemoryTooSmall),
        (GpuNeeds { family: 0x01, ..GpuNeeds::default() }, MarketError::GpuModelNotAccepted),
        (GpuNeeds { models: [H100, A100_40, 0, 0], ..GpuNeeds::default() }, MarketError::GpuModelNotAccepted),
    ];
    for (needs, error) in refusals {
        let job = m.post_job_with(&client, |args| args.gpu = needs).await;
        let (c, p) = (client.pubkey(), provider.pubkey());
        let balances = m.balances(&[c, pda::vault(&job)]).await;
        let assign = builders::assign_job(&p, &c, &job, &p, ANY_PRICE);
        assert_error(m.send(&[assign], &[&provider]).await, error);
        assert_eq!(m.balances(&[c, pda::vault(&job)]).await, balances);
        assert!(m.account::<Job>(&job).await.is(JobStatus::Open));
    }
    let free = m.account::<Provider>(&pda::provider(&provider.pubkey())).await.free;
    assert_eq!(free, CAPACITY, "no capacity was reserved");

    // The memory exactly, the family, or the model listed: assigned.
    for needs in [
        GpuNeeds { min_vram_gb: 80, ..GpuNeeds::default() },
        GpuNeeds { family: 0x02, min_vram_gb: 80, ..GpuNeeds::default() },
        GpuNeeds { models: [H100, A100_80, 0, 0], ..GpuNeeds::default() },
    ] {
        let job = m.post_job_with(&client, |args| {
            args.gpu = needs;
            args.requirements.gpus = 1;
        })
        .await;
        let (c, p) = (client.pubkey(), provider.pubkey());
        m.send(&[builders::assign_job(&p, &c, &job, &p, ANY_PRICE)], &[&provider]).await.unwrap();
        assert!(m.account::<Job>(&job).await.is(JobStatus::Assigned));
        m.send(&[builders::decline_job(&p, &job)], &[&provider]).await.unwrap();
    }
    // A job without GPUs ignores the provider's GPUs altogether.
    let cpu_job = m.post_job_with(&client, |args| args.requirements.gpus = 0).await;
    let (c, p) = (client.pubkey(), provider.pubkey());
    m.send(&[builders::assign_job(&p, &c, &cpu_job, &p, ANY_PRICE)], &[&provider]).await.unwrap();
}

#[tokio::test]
async fn registration_and_posting_events_carry_the_hardware_and_the_needs() {
    if Tier::current() == Tier::Native {
        eprintln!("events are logged only by the sBPF artifact: checked in the sBPF tier");
        return;
    }
    let mut m = TestMarket::new().await;
    let provider = m.funded_keypair().await;
    let logs = m.send(&[builders::register_provider(&provider.pubkey(), provider_args())], &[&provider]).await.unwrap();
    let registered: Vec<compute_market::events::ProviderRegistered> = events(&logs);
    assert_eq!(registered[0].hardware, HARDWARE);
    let client = m.registered_client().await;
    let job_id = m.next_job_id(&client.pubkey()).await;
    let mut args = job_args(&client.pubkey(), job_id);
    args.gpu = GpuNeeds { family: 0x02, min_vram_gb: 40, ..GpuNeeds::default() };
    let logs = m.send(&[builders::post_job(&client.pubkey(), args.clone())], &[&client]).await.unwrap();
    let posted: Vec<compute_market::events::JobPosted> = events(&logs);
    assert_eq!(posted[0].gpu, args.gpu);
}
