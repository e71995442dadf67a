//! The provider agent: the program that turns a registered provider into a machine that works. It keeps
//! the provider's capacity, endpoint and activity current on chain, follows its jobs (WebSocket
//! subscription plus polling), optionally accepts open jobs its policy allows (at the price its rates
//! give), and for each assigned job verifies the spec against the on-chain hash, starts it, runs it under
//! the job's limits, and submits the sha256 of the result bundle it then serves to the client; a job it
//! will not run is declined, not left to expire. It withdraws earnings the provider account holds for a
//! wallet that could not receive them. A journal on disk makes restarts safe.

pub mod agent;
pub mod container;
pub mod hardware;
pub mod journal;
pub mod outputs;
pub mod policy;
pub mod sandbox;
pub mod storage;
pub mod testing;
pub mod worker;
pub mod workload;

pub use agent::{Agent, AgentConfig};
pub use policy::AcceptPolicy;
