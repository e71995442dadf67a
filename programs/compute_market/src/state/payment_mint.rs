//! A token the market accepts as payment, and the money that has moved in it.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;

use crate::error::MarketError;

/// Amounts paid in one mint, in its base units. Lamport jobs count in the market's own stats.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct MintStats {
    pub jobs_posted: u64,
    /// Paid for work: provider payouts plus fees.
    pub volume: u64,
    pub fees_collected: u64,
    /// Returned to clients: unused escrow, cancellations, expiries and dispute shares.
    pub refunded: u64,
}

/// Seeds `["payment_mint", mint]`: the market allows jobs to be paid in `mint`. Created by the admin.
#[account]
#[derive(InitSpace)]
pub struct PaymentMint {
    pub mint: Pubkey,
    /// The Token program or Token-2022, whichever owns the mint.
    pub token_program: Pubkey,
    pub decimals: u8,
    /// New jobs and quotes may use the mint; jobs already posted in it always settle.
    pub enabled: bool,
    pub bump: u8,
    pub stats: MintStats,
}

impl PaymentMint {
    pub fn require_enabled(&self) -> Result<()> {
        require!(self.enabled, MarketError::PaymentMintDisabled);
        Ok(())
    }
}

/// Mint extensions that leave every transfer exact and every account in the program's control.
/// Anything else (transfer fees, hooks, permanent delegates, default-frozen accounts, confidential
/// transfers, non-transferable or pausable tokens, closable mints) could change what arrives or lock the vault.
const SAFE_MINT_EXTENSIONS: &[ExtensionType] = &[
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::TokenGroup,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroupMember,
    ExtensionType::InterestBearingConfig,
];

/// Refuses a Token-2022 mint carrying any extension outside `SAFE_MINT_EXTENSIONS`.
/// Mints of the original Token program have no extensions.
pub fn validate_mint_extensions(mint: &AccountInfo) -> Result<()> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data).map_err(|_| error!(MarketError::WrongMint))?;
    let extensions = state.get_extension_types().map_err(|_| error!(MarketError::WrongMint))?;
    for extension in extensions {
        if !SAFE_MINT_EXTENSIONS.contains(&extension) {
            msg!("mint extension {:?} is not supported", extension);
            return err!(MarketError::UnsupportedMintExtension);
        }
    }
    Ok(())
}
