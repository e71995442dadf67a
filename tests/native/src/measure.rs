//! Compute units, read from the runtime's logs: what `make bench` reports and the budget tests assert.
//! Meaningful on the sBPF artifact only; natively the program is a builtin and is not metered.

use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::builders::{self, JobParties, Pay};
use crate::harness::TestMarket;
use crate::pda;
use crate::scenario::{job_args, MAX_PRICE, RESULT_HASH};

/// Compute units the program itself consumed in a successful transaction, CPIs included.
pub async fn cu(m: &mut TestMarket, ixs: &[Instruction], signers: &[&Keypair], what: &str) -> u64 {
    let logs = m.send(ixs, signers).await.unwrap_or_else(|err| panic!("{what} failed: {err:?}"));
    let prefix = format!("Program {} consumed ", compute_market::ID);
    logs.iter()
        .filter_map(|line| line.strip_prefix(&prefix))
        .filter_map(|rest| rest.split(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// The compute units of each step of one job's life, paid as `pay` says: post, assign (by the
/// client), start, submit ten minutes later, complete with a rating. `client` is registered and funded,
/// `provider` registered (with a quote in the mint of a token job).
pub async fn lifecycle(m: &mut TestMarket, client: &Keypair, provider: &Keypair, pay: &Pay) -> Vec<(&'static str, u64)> {
    let (c, p) = (client.pubkey(), provider.pubkey());
    let job_id = m.next_job_id(&c).await;
    let job = pda::job(&c, job_id);
    let post = cu(m, &[builders::post_job_in(&c, job_args(&c, job_id), pay)], &[client], "post_job").await;
    let assign = cu(m, &[builders::assign_job_in(&c, &c, &job, &p, pay, MAX_PRICE)], &[client], "assign_job").await;
    let start = cu(m, &[builders::start_job(&p, &job)], &[provider], "start_job").await;
    m.warp(600).await;
    let submit = cu(m, &[builders::submit_result(&p, &job, RESULT_HASH)], &[provider], "submit_result").await;
    let parties = JobParties { job, client: c, provider: p, treasury: m.treasury.pubkey(), pay: *pay };
    let complete = cu(m, &[builders::complete_and_pay(&parties, Some(5))], &[client], "complete_and_pay").await;
    vec![("post_job", post), ("assign_job", assign), ("start_job", start), ("submit_result", submit), ("complete_and_pay", complete)]
}
