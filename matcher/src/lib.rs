//! The automated matcher. Each round it reads the open jobs and the active providers (filtered by the
//! node), ranks the providers that opted in to assignment by the matcher and fit each job by `score`,
//! and assigns the job to the best one with `assign_job` at the price it computed (a job paid in a token
//! only to a provider quoting that token, at its quote: `quotes`; a job asking for a minimum bond only to a
//! provider with that much of its bond free in the job's currency, which the assignment locks), signed by
//! the market's matcher authority. For every job it leaves open it keeps an explanation in words
//! (`explain`), served over HTTP for `cmkt job why` and the TypeScript client.

pub mod exhaustive;
pub mod explain;
mod index;
pub mod plan;
pub mod quotes;
pub mod score;
pub mod service;

pub use exhaustive::plan_exhaustive;
pub use explain::Unmatched;
pub use plan::{plan, Candidate, Decision, OpenJob};
pub use quotes::QuoteBook;
pub use service::{Matcher, MatcherConfig};
