//! Every way an instruction can refuse, by name.

use anchor_lang::prelude::*;

#[error_code]
pub enum MarketError {
    // Market administration
    #[msg("Only the market admin may do this")]
    NotAdmin,
    #[msg("Only the program's upgrade authority may create the market")]
    NotUpgradeAuthority,
    #[msg("Only the proposed admin may accept the admin role")]
    NotPendingAdmin,
    #[msg("The proposed admin must be a real key other than the current admin")]
    InvalidPendingAdmin,
    #[msg("The platform fee is above MAX_FEE_BPS")]
    FeeTooHigh,
    #[msg("A market time window is outside MIN_WINDOW_SECS..=MAX_WINDOW_SECS")]
    InvalidWindow,
    #[msg("The treasury must be a rent-exempt System Program account")]
    InvalidTreasury,
    #[msg("The matcher must be a real key")]
    InvalidMatcher,
    #[msg("Set a matcher or clear it, not both")]
    ConflictingMatcherUpdate,
    #[msg("The market is paused: no new registrations, jobs or assignments")]
    MarketPaused,

    // Providers
    #[msg("Capacity must offer at least one resource and stay within the market's ceilings")]
    InvalidCapacity,
    #[msg("Every offered resource needs a rate above zero and at most MAX_RATE_PER_UNIT_HOUR")]
    InvalidRates,
    #[msg("The URI is empty or longer than MAX_URI_LEN bytes")]
    InvalidUri,
    #[msg("The new capacity is smaller than what running jobs hold")]
    CapacityInUse,
    #[msg("The provider still has jobs in flight")]
    ProviderHasActiveJobs,
    #[msg("The provider is not accepting jobs")]
    ProviderInactive,
    #[msg("The provider account does not belong to this signer or job")]
    WrongProvider,
    #[msg("The provider is registered already")]
    ProviderAlreadyRegistered,
    #[msg("The provider has retired: register again to return")]
    ProviderRetired,
    #[msg("The assignment policy has flags other than ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER")]
    InvalidAssignmentPolicy,
    #[msg("The provider holds fees owed to the treasury: collect them first")]
    FeesOwed,
    #[msg("There is nothing to collect or withdraw")]
    NothingOwed,
    #[msg("The recipient would hold less than the rent-exempt minimum: fund it first")]
    RecipientNotRentExempt,

    // Clients and jobs
    #[msg("The client profile does not belong to this client")]
    WrongClientProfile,
    #[msg("The job id is not the client's next job id")]
    JobIdMismatch,
    #[msg("Requirements must ask for at least one resource and stay within the market's ceilings")]
    InvalidRequirements,
    #[msg("The duration is outside MIN_JOB_DURATION_SECS..=MAX_JOB_DURATION_SECS")]
    InvalidDuration,
    #[msg("The price must be above zero, at most MAX_PRICE_PER_HOUR, and escrow at least one lamport")]
    InvalidPrice,
    #[msg("The minimum reputation is above MAX_REPUTATION")]
    InvalidMinReputation,
    #[msg("A hash must not be all zeroes")]
    InvalidHash,
    #[msg("The target provider must be a real key other than the client")]
    InvalidTargetProvider,

    // Who may act on a job
    #[msg("Only the job's client may do this")]
    NotJobClient,
    #[msg("Only the job's assigned provider may do this")]
    NotJobProvider,
    #[msg("Only the provider, or the job's client or the market's matcher where the provider opted in, may assign a job")]
    NotAssigner,
    #[msg("The account is not the job's client")]
    WrongClient,
    #[msg("The account is not the job's provider wallet")]
    WrongProviderWallet,
    #[msg("The account is not the job's vault")]
    WrongVault,
    #[msg("The account is not the market treasury")]
    WrongTreasury,
    #[msg("The account is not the pair record of the job's provider and client")]
    WrongPair,

    // Assignment rules
    #[msg("The job is reserved for another provider")]
    NotTargetProvider,
    #[msg("A client cannot assign its own job to itself")]
    SelfDealing,
    #[msg("The provider lacks free capacity for the job's requirements")]
    InsufficientCapacity,
    #[msg("The provider's hourly price for these requirements is above the job's maximum")]
    PriceAboveMax,
    #[msg("The provider's reputation is below the job's minimum")]
    ReputationTooLow,
    #[msg("The provider's price is above the bound the assigner saw")]
    PriceChanged,

    // Lifecycle
    #[msg("The job is not in a state that allows this")]
    InvalidJobStatus,
    #[msg("The start window has closed")]
    StartWindowClosed,
    #[msg("The deadline and its grace period have passed")]
    DeadlinePassed,
    #[msg("The review window is still open")]
    ReviewWindowOpen,
    #[msg("A job can be disputed only while its result is in review")]
    NotDisputable,
    #[msg("The provider may still start the job: a client takes it back TAKE_BACK_AFTER_SECS after assignment")]
    TakeBackTooEarly,
    #[msg("The job has not passed any expiry deadline")]
    NotExpirable,
    #[msg("A rating must be between MIN_RATING and MAX_RATING")]
    InvalidRating,
    #[msg("A split must be at most BPS_DENOMINATOR basis points")]
    InvalidSplit,
    #[msg("The job is not final yet")]
    JobNotFinal,

    #[msg("A token job needs the payment mint, mint, token program, vault and party token accounts")]
    MissingTokenAccounts,
    #[msg("A lamport job takes no token accounts")]
    UnexpectedTokenAccounts,
    #[msg("The mint is not the job's or the payment mint's")]
    WrongMint,
    #[msg("The token program does not own the mint")]
    WrongTokenProgram,
    #[msg("The token account does not belong to the party it pays, or is not the vault's")]
    WrongTokenAccount,
    #[msg("The mint has an extension that breaks exact escrow accounting")]
    UnsupportedMintExtension,
    #[msg("The market does not accept this mint for new jobs")]
    PaymentMintDisabled,
    #[msg("The mint has a freeze authority: the admin must acknowledge it to accept the mint")]
    MintHasFreezeAuthority,
    #[msg("Wrapped SOL is not a payment mint: post the job in lamports")]
    NativeMintNotAccepted,
    #[msg("A reputation reference value must be above zero")]
    InvalidReputationValue,
    #[msg("The job's vault token account is frozen: it settles once the mint's freeze authority thaws it")]
    EscrowFrozen,
    #[msg("A party's token account is frozen: pass another token account of that party")]
    TokenAccountFrozen,
    #[msg("The provider has no quote in the job's mint")]
    WrongQuote,

    #[msg("Arithmetic overflow")]
    MathOverflow,

    // Appended after the first release: codes above stay as clients know them.
    #[msg("The job's run deadline has passed: it can no longer be extended")]
    RunDeadlinePassed,
    #[msg("An extension must add time and keep the duration within MAX_JOB_DURATION_SECS")]
    InvalidExtension,
    #[msg("Offered GPUs need a model (with a family) and 1..=MAX_VRAM_GB GB each; none offered, none declared; a known CPU architecture")]
    InvalidHardware,
    #[msg("GPU needs are for jobs that ask for GPUs: listed models of the family set, at most MAX_VRAM_GB GB")]
    InvalidGpuNeeds,
    #[msg("The provider's GPUs have less memory than the job needs")]
    GpuMemoryTooSmall,
    #[msg("The provider's GPU model is not one the job accepts")]
    GpuModelNotAccepted,
    #[msg("Bond terms: a cool-down of MIN_WINDOW_SECS..=MAX_WINDOW_SECS and a slash of at most MAX_SLASH_BPS")]
    InvalidBondTerms,
    #[msg("A bond deposit must be above zero")]
    InvalidBondAmount,
    #[msg("The provider's free bond in the job's currency is below the job's minimum bond")]
    BondTooSmall,
    #[msg("The bond account is not the provider's bond in the job's currency")]
    WrongBond,
    #[msg("Jobs in flight lock that much of the bond: request at most what is unlocked")]
    BondInUse,
    #[msg("No bond withdrawal is pending")]
    NoBondWithdrawal,
    #[msg("The bond withdrawal's cool-down has not passed yet")]
    BondCoolingDown,
    #[msg("Not the program's data account under the upgradeable loader")]
    WrongProgramData,
}
