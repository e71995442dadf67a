//! A token the market accepts as payment, and the money that has moved in it.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;

use crate::error::MarketError;

/// Seeds `["payment_mint", mint]`: the market allows jobs to be paid in `mint`. Created by the admin.
/// Jobs only read it: what moved in the mint is in the events.
#[account]
#[derive(InitSpace)]
pub struct PaymentMint {
    pub mint: Pubkey,
    /// The Token program or Token-2022, whichever owns the mint.
    pub token_program: Pubkey,
    /// The mint's freeze authority when the admin accepted it, acknowledging that it can freeze a
    /// vault (jobs then settle once it thaws); the default key when the mint has none.
    pub freeze_authority: Pubkey,
    /// What one whole token counts as, in lamports, when reputation weighs the value of work. A
    /// reference the admin sets, never a price anything is paid at.
    pub reputation_lamports_per_token: u64,
    pub decimals: u8,
    /// New jobs and quotes may use the mint; jobs already posted in it always settle.
    pub enabled: bool,
    pub bump: u8,
}

impl PaymentMint {
    pub fn require_enabled(&self) -> Result<()> {
        ensure!(self.enabled, MarketError::PaymentMintDisabled);
        Ok(())
    }

    /// `amount` base units valued in lamports at the admin's reference, for reputation weights.
    pub fn lamport_value(&self, amount: u64) -> u64 {
        let value = u128::from(amount) * u128::from(self.reputation_lamports_per_token) / 10u128.pow(self.decimals.into());
        u64::try_from(value).unwrap_or(u64::MAX)
    }
}

/// How the market treats a mint's freeze authority: a mint that has one is accepted only when the admin
/// acknowledges it (USDC has one). Wrapped SOL is refused under either token program: lamport jobs pay in SOL.
pub fn validate_mint_authorities(mint: &Pubkey, freeze_authority: Option<Pubkey>, acknowledged: bool) -> Result<()> {
    ensure!(
        *mint != anchor_spl::token::spl_token::native_mint::ID && *mint != anchor_spl::token_2022::spl_token_2022::native_mint::ID,
        MarketError::NativeMintNotAccepted
    );
    if freeze_authority.is_some() {
        ensure!(acknowledged, MarketError::MintHasFreezeAuthority);
    }
    Ok(())
}

/// Mint extensions that leave every transfer exact and every account in the program's control.
/// Anything else is refused by name: transfer fees and confidential transfers change what arrives, a
/// transfer hook runs foreign code on every transfer, a permanent delegate can take the escrow, a
/// default-frozen state, pausing or non-transferability lock the vault, and a closable mint can vanish.
/// None of these needs an extension on the mint's token accounts, so `post_job` creates every vault
/// token account at the plain size (`token_account::TOKEN_ACCOUNT_LEN`); a mint extension added here
/// must keep that true.
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
    let state = StateWithExtensions::<MintState>::unpack(&data).map_err(|_| Error::from(MarketError::WrongMint))?;
    let extensions = state.get_extension_types().map_err(|_| Error::from(MarketError::WrongMint))?;
    for extension in extensions {
        if !SAFE_MINT_EXTENSIONS.contains(&extension) {
            msg!("mint extension {:?} is not supported", extension);
            return Err(Error::from(MarketError::UnsupportedMintExtension));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_2022::spl_token_2022::state::Account;

    #[test]
    fn token_accounts_of_an_accepted_mint_need_no_extension() {
        let required = ExtensionType::get_required_init_account_extensions(SAFE_MINT_EXTENSIONS);
        assert_eq!(required, vec![]);
        let len = ExtensionType::try_calculate_account_len::<Account>(&required).unwrap();
        assert_eq!(len, crate::token_account::TOKEN_ACCOUNT_LEN);
    }
}
