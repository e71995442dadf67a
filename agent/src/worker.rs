//! A workload the agent runs on its own thread, and how long it may still run: a client that extends
//! the job on chain lengthens the run of the workload already going.

use std::thread::JoinHandle;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use compute_market::state::Job;

use crate::workload::RunTime;

pub struct Worker {
    pub thread: JoinHandle<()>,
    /// How long the workload may run, read by its watch.
    pub time: RunTime,
    /// The job's duration the run time was last set for.
    pub duration_secs: u32,
}

impl Worker {
    /// Lengthens the run by whatever the client added to the job's duration since it was last seen
    /// (extend_job moves a running job's deadlines by exactly that).
    pub fn follow_extension(&mut self, address: &Pubkey, job: &Job) {
        let Some(added) = job.duration_secs.checked_sub(self.duration_secs).filter(|added| *added > 0) else { return };
        self.time.extend(Duration::from_secs(added.into()));
        self.duration_secs = job.duration_secs;
        println!("agent: job {address} was extended by {added} s; its workload may now run {} s, until {}", self.time.get().as_secs(), job.run_deadline);
    }
}
