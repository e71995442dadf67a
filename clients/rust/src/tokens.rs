//! SPL tokens around the market: instructions to create a mint, an associated token account and to mint
//! into it (for local nodes and tests), and reading token balances, the market's accepted mints and the
//! providers' quotes in them.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator, Space};
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::Account as TokenAccountState;
use compute_market::state::{MintQuote, PaymentMint};
use solana_instruction::Instruction;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

use crate::errors::ClientError;
use crate::{pda, MarketClient};

/// The original SPL Token program.
pub const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
/// A mint account of the Token program, without extensions.
pub const MINT_LEN: usize = 82;

/// Creates `mint` (a new account signed by its keypair) under the Token program with `decimals`,
/// `authority` as its mint authority and no freeze authority. `rent` is the rent-exempt minimum of
/// MINT_LEN bytes.
pub fn create_mint(payer: &Pubkey, mint: &Pubkey, authority: &Pubkey, decimals: u8, rent: u64) -> Vec<Instruction> {
    vec![
        anchor_lang::solana_program::system_instruction::create_account(payer, mint, rent, MINT_LEN as u64, &TOKEN_PROGRAM),
        spl_token_2022::instruction::initialize_mint2(&TOKEN_PROGRAM, mint, authority, None, decimals).expect("the Token program's id"),
    ]
}

/// Creates `owner`'s associated token account for `mint` unless it exists.
pub fn create_token_account(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, mint, token_program)
}

/// Mints `amount` base units into `owner`'s associated token account (which must exist), signed by the
/// mint authority; the decimals are checked by the token program.
pub fn mint_to(mint: &Pubkey, owner: &Pubkey, authority: &Pubkey, amount: u64, decimals: u8, token_program: &Pubkey) -> Instruction {
    let account = pda::ata(owner, mint, token_program);
    spl_token_2022::instruction::mint_to_checked(token_program, mint, &account, authority, &[], amount, decimals)
        .expect("a token program's id")
}

/// Anchor (Borsh) accounts of type `T`: their size and discriminator, for getProgramAccounts.
pub fn anchor_type_filters<T: Discriminator + Space>() -> Vec<RpcFilterType> {
    vec![RpcFilterType::DataSize((8 + T::INIT_SPACE) as u64), RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))]
}

impl MarketClient {
    /// The tokens a token account holds; `None` when it does not exist.
    pub fn token_account_balance(&self, account: &Pubkey) -> Result<Option<u64>, ClientError> {
        let Some(found) = self.rpc().get_account_with_commitment(account, self.rpc().commitment())?.value else {
            return Ok(None);
        };
        let state = StateWithExtensions::<TokenAccountState>::unpack(&found.data)
            .map_err(|_| ClientError::Invalid(format!("{account} is not a token account")))?;
        Ok(Some(state.base.amount))
    }

    /// What `owner`'s associated token account for `mint` holds (0 when it has none).
    pub fn tokens_of(&self, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Result<u64, ClientError> {
        Ok(self.token_account_balance(&pda::ata(owner, mint, token_program))?.unwrap_or(0))
    }

    /// The market's record of an accepted mint.
    pub fn payment_mint(&self, mint: &Pubkey) -> Result<PaymentMint, ClientError> {
        self.anchor_account("payment mint", &pda::payment_mint(mint))
    }

    /// Every mint the market accepts (or accepted: disabled ones included), by mint address.
    pub fn list_payment_mints(&self) -> Result<Vec<PaymentMint>, ClientError> {
        let mut mints: Vec<PaymentMint> = self.anchor_accounts("payment mint", anchor_type_filters::<PaymentMint>())?;
        mints.sort_by_key(|m| m.mint);
        Ok(mints)
    }

    /// Every provider's quote in every mint.
    pub fn list_mint_quotes(&self) -> Result<Vec<MintQuote>, ClientError> {
        self.anchor_accounts("mint quote", anchor_type_filters::<MintQuote>())
    }

    fn anchor_account<T: AccountDeserialize>(&self, what: &'static str, address: &Pubkey) -> Result<T, ClientError> {
        let data = self.program_account_data(what, address)?;
        T::try_deserialize(&mut &data[..]).map_err(|_| ClientError::Invalid(format!("{address} is not a {what}")))
    }
}
