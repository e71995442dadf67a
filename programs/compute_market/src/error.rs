//! Every way an instruction can refuse, by name.
//!
//! The errors are listed once, in `market_errors!`, which gives them to Anchor's `#[error_code]` for
//! the IDL (`idl-build`) and otherwise writes what that macro would: the same enum, codes (6000 on),
//! names and messages, with the names and messages read from two strings rather than a `match` that
//! builds each as a String (which came to about 20 KB of the deployed program).

use anchor_lang::prelude::*;

/// Refuses with `$error` (a `MarketError` or an Anchor `ErrorCode`) unless `$condition` holds.
///
/// Used in place of Anchor's `require!` family, which builds the error (its name, its message and the
/// file and line it was raised at) inline at every place that refuses: here every refusal is one call
/// to the error's single out-of-line conversion. The log names the error and its code as before,
/// without the source line.
macro_rules! ensure {
    ($condition:expr, $error:expr $(,)?) => {
        if !($condition) {
            return Err(anchor_lang::error::Error::from($error));
        }
    };
}

macro_rules! market_errors {
    ($($name:ident => $message:literal,)*) => {
        #[cfg(feature = "idl-build")]
        #[error_code]
        pub enum MarketError {
            $(#[msg($message)] $name,)*
        }

        #[cfg(not(feature = "idl-build"))]
        #[derive(Debug, Clone, Copy)]
        #[repr(u32)]
        pub enum MarketError {
            $($name,)*
        }

        #[cfg(not(feature = "idl-build"))]
        impl MarketError {
            // One line each, in the enum's order: no table of pointers (which the sBPF build would
            // turn into code).
            const NAMES: &'static str = concat!($(stringify!($name), "\n",)*);
            const MESSAGES: &'static str = concat!($($message, "\n",)*);

            fn line(table: &'static str, error: MarketError) -> &'static str {
                table.split('\n').nth(error as usize).unwrap_or_default()
            }

            /// The error's name, as Anchor logs it.
            pub fn name(&self) -> String {
                Self::line(Self::NAMES, *self).to_string()
            }
        }

        #[cfg(not(feature = "idl-build"))]
        impl From<MarketError> for u32 {
            fn from(error: MarketError) -> u32 {
                error as u32 + anchor_lang::error::ERROR_CODE_OFFSET
            }
        }

        #[cfg(not(feature = "idl-build"))]
        impl From<MarketError> for anchor_lang::error::Error {
            // One copy, called from every place that refuses, rather than one inlined at each.
            #[inline(never)]
            fn from(error: MarketError) -> anchor_lang::error::Error {
                anchor_lang::error::Error::from(anchor_lang::error::AnchorError {
                    error_name: error.name(),
                    error_code_number: error.into(),
                    error_msg: error.to_string(),
                    error_origin: None,
                    compared_values: None,
                })
            }
        }

        #[cfg(not(feature = "idl-build"))]
        impl std::fmt::Display for MarketError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(Self::line(Self::MESSAGES, *self))
            }
        }
    };
}

market_errors! {
    // Market administration
    NotAdmin => "Only the market admin may do this",
    NotUpgradeAuthority => "Only the program's upgrade authority may create the market",
    NotPendingAdmin => "Only the proposed admin may accept the admin role",
    InvalidPendingAdmin => "The proposed admin must be a real key other than the current admin",
    FeeTooHigh => "The platform fee is above MAX_FEE_BPS",
    InvalidWindow => "A market time window is outside MIN_WINDOW_SECS..=MAX_WINDOW_SECS",
    InvalidTreasury => "The treasury must be a rent-exempt System Program account",
    InvalidMatcher => "The matcher must be a real key",
    ConflictingMatcherUpdate => "Set a matcher or clear it, not both",
    MarketPaused => "The market is paused: no new registrations, jobs or assignments",

    // Providers
    InvalidCapacity => "Capacity must offer at least one resource and stay within the market's ceilings",
    InvalidRates => "Every offered resource needs a rate above zero and at most MAX_RATE_PER_UNIT_HOUR",
    InvalidUri => "The URI is empty or longer than MAX_URI_LEN bytes",
    CapacityInUse => "The new capacity is smaller than what running jobs hold",
    ProviderHasActiveJobs => "The provider still has jobs in flight",
    ProviderInactive => "The provider is not accepting jobs",
    WrongProvider => "The provider account does not belong to this signer or job",
    ProviderAlreadyRegistered => "The provider is registered already",
    ProviderRetired => "The provider has retired: register again to return",
    InvalidAssignmentPolicy => "The assignment policy has flags other than ASSIGN_BY_CLIENTS and ASSIGN_BY_MATCHER",
    FeesOwed => "The provider holds fees owed to the treasury: collect them first",
    NothingOwed => "There is nothing to collect or withdraw",
    RecipientNotRentExempt => "The recipient would hold less than the rent-exempt minimum: fund it first",

    // Clients and jobs
    WrongClientProfile => "The client profile does not belong to this client",
    JobIdMismatch => "The job id is not the client's next job id",
    InvalidRequirements => "Requirements must ask for at least one resource and stay within the market's ceilings",
    InvalidDuration => "The duration is outside MIN_JOB_DURATION_SECS..=MAX_JOB_DURATION_SECS",
    InvalidPrice => "The price must be above zero, at most MAX_PRICE_PER_HOUR, and escrow at least one lamport",
    InvalidMinReputation => "The minimum reputation is above MAX_REPUTATION",
    InvalidHash => "A hash must not be all zeroes",
    InvalidTargetProvider => "The target provider must be a real key other than the client",

    // Who may act on a job
    NotJobClient => "Only the job's client may do this",
    NotJobProvider => "Only the job's assigned provider may do this",
    NotAssigner => "Only the provider, or the job's client or the market's matcher where the provider opted in, may assign a job",
    WrongClient => "The account is not the job's client",
    WrongProviderWallet => "The account is not the job's provider wallet",
    WrongVault => "The account is not the job's vault",
    WrongTreasury => "The account is not the market treasury",
    WrongPair => "The account is not the pair record of the job's provider and client",

    // Assignment rules
    NotTargetProvider => "The job is reserved for another provider",
    SelfDealing => "A client cannot assign its own job to itself",
    InsufficientCapacity => "The provider lacks free capacity for the job's requirements",
    PriceAboveMax => "The provider's hourly price for these requirements is above the job's maximum",
    ReputationTooLow => "The provider's reputation is below the job's minimum",
    PriceChanged => "The provider's price is above the bound the assigner saw",

    // Lifecycle
    InvalidJobStatus => "The job is not in a state that allows this",
    StartWindowClosed => "The start window has closed",
    DeadlinePassed => "The deadline and its grace period have passed",
    ReviewWindowOpen => "The review window is still open",
    NotDisputable => "A job can be disputed only while its result is in review",
    TakeBackTooEarly => "The provider may still start the job: a client takes it back TAKE_BACK_AFTER_SECS after assignment",
    NotExpirable => "The job has not passed any expiry deadline",
    InvalidRating => "A rating must be between MIN_RATING and MAX_RATING",
    InvalidSplit => "A split must be at most BPS_DENOMINATOR basis points",
    JobNotFinal => "The job is not final yet",

    MissingTokenAccounts => "A token job needs the payment mint, mint, token program, vault and party token accounts",
    UnexpectedTokenAccounts => "A lamport job takes no token accounts",
    WrongMint => "The mint is not the job's or the payment mint's",
    WrongTokenProgram => "The token program does not own the mint",
    WrongTokenAccount => "The token account does not belong to the party it pays, or is not the vault's",
    UnsupportedMintExtension => "The mint has an extension that breaks exact escrow accounting",
    PaymentMintDisabled => "The market does not accept this mint for new jobs",
    MintHasFreezeAuthority => "The mint has a freeze authority: the admin must acknowledge it to accept the mint",
    NativeMintNotAccepted => "Wrapped SOL is not a payment mint: post the job in lamports",
    InvalidReputationValue => "A reputation reference value must be above zero",
    EscrowFrozen => "The job's vault token account is frozen: it settles once the mint's freeze authority thaws it",
    TokenAccountFrozen => "A party's token account is frozen: pass another token account of that party",
    WrongQuote => "The provider has no quote in the job's mint",

    MathOverflow => "Arithmetic overflow",

    // Appended after the first release: codes above stay as clients know them.
    RunDeadlinePassed => "The job's run deadline has passed: it can no longer be extended",
    InvalidExtension => "An extension must add time and keep the duration within MAX_JOB_DURATION_SECS",
    InvalidHardware => "Offered GPUs need a model (with a family) and 1..=MAX_VRAM_GB GB each; none offered, none declared; a known CPU architecture",
    InvalidGpuNeeds => "GPU needs are for jobs that ask for GPUs: listed models of the family set, at most MAX_VRAM_GB GB",
    GpuMemoryTooSmall => "The provider's GPUs have less memory than the job needs",
    GpuModelNotAccepted => "The provider's GPU model is not one the job accepts",
    InvalidBondTerms => "Bond terms: a cool-down of MIN_WINDOW_SECS..=MAX_WINDOW_SECS and a slash of at most MAX_SLASH_BPS",
    InvalidBondAmount => "A bond deposit must be above zero",
    BondTooSmall => "The provider's free bond in the job's currency is below the job's minimum bond",
    WrongBond => "The bond account is not the provider's bond in the job's currency",
    BondInUse => "Jobs in flight lock that much of the bond: request at most what is unlocked",
    NoBondWithdrawal => "No bond withdrawal is pending",
    BondCoolingDown => "The bond withdrawal's cool-down has not passed yet",
    WrongProgramData => "Not the program's data account under the upgradeable loader",
}

#[cfg(all(test, not(feature = "idl-build")))]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_messages_are_what_anchor_would_give() {
        let error = anchor_lang::error::Error::from(MarketError::NotAdmin);
        let anchor_lang::error::Error::AnchorError(error) = error else { panic!("an Anchor error") };
        assert_eq!((error.error_code_number, error.error_name.as_str()), (6000, "NotAdmin"));
        assert_eq!(error.error_msg, "Only the market admin may do this");
        let last = MarketError::WrongProgramData;
        assert_eq!(u32::from(last), 6000 + MarketError::NAMES.lines().count() as u32 - 1);
        assert_eq!((last.name(), last.to_string()), ("WrongProgramData".to_string(), "Not the program's data account under the upgradeable loader".to_string()));
        assert_eq!(MarketError::NAMES.lines().count(), MarketError::MESSAGES.lines().count());
    }
}
