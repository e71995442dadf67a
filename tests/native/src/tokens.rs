//! SPL tokens on the test ledger: mints (Token and Token-2022, with or without extensions), funded
//! token accounts, balances, and a market that accepts a mint.

use anchor_lang::prelude::Pubkey;
use compute_market::instructions::AddPaymentMintArgs;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::extension::{
    confidential_transfer, default_account_state, pausable, transfer_fee, transfer_hook, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{Account as TokenAccountState, AccountState, Mint as MintState};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::builders::{self, Pay};
use crate::harness::TestMarket;
use crate::pda;

pub const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
pub const TOKEN_2022_PROGRAM: Pubkey = anchor_spl::token_2022::ID;
/// USDC-like: six decimals.
pub const DECIMALS: u8 = 6;
/// What each funded token holder starts with: 1,000,000 whole tokens.
pub const STARTING_TOKENS: u64 = 1_000_000_000_000;
/// How the test market accepts a mint: no freeze authority to acknowledge, one whole token valued at
/// 0.01 SOL for reputation (so a job's 60 tokens of escrow weigh like 0.6 SOL).
pub const MINT_TERMS: AddPaymentMintArgs =
    AddPaymentMintArgs { acknowledge_freeze_authority: false, reputation_lamports_per_token: 10_000_000 };

impl TestMarket {
    /// A new mint under `token_program` with `extensions` initialised before the mint itself; the
    /// context's payer is its mint authority.
    pub async fn create_mint_with(&mut self, token_program: Pubkey, extensions: &[ExtensionType]) -> Pubkey {
        self.create_mint_at(&Keypair::new(), token_program, extensions).await
    }

    /// As `create_mint_with`, at the address of `mint`.
    pub async fn create_mint_at(&mut self, mint: &Keypair, token_program: Pubkey, extensions: &[ExtensionType]) -> Pubkey {
        self.create_mint_full(mint, token_program, extensions, None).await
    }

    /// A new mint under `token_program` whose freeze authority is the context's payer (as USDC's issuer
    /// holds one), with `extensions`.
    pub async fn create_freezable_mint(&mut self, token_program: Pubkey, extensions: &[ExtensionType]) -> Pubkey {
        let payer = self.ctx.payer.pubkey();
        self.create_mint_full(&Keypair::new(), token_program, extensions, Some(payer)).await
    }

    /// A mint at the address of `mint` with `extensions` initialised first and an optional freeze authority.
    pub async fn create_mint_full(
        &mut self,
        mint: &Keypair,
        token_program: Pubkey,
        extensions: &[ExtensionType],
        freeze_authority: Option<Pubkey>,
    ) -> Pubkey {
        let payer = self.ctx.payer.pubkey();
        let len = ExtensionType::try_calculate_account_len::<MintState>(extensions).expect("mint size");
        let lamports = self.rent_exempt(len).await;
        let mut ixs = vec![anchor_lang::solana_program::system_instruction::create_account(
            &payer,
            &mint.pubkey(),
            lamports,
            len as u64,
            &token_program,
        )];
        for extension in extensions {
            ixs.push(match extension {
                ExtensionType::TransferFeeConfig => transfer_fee::instruction::initialize_transfer_fee_config(
                    &token_program,
                    &mint.pubkey(),
                    Some(&payer),
                    Some(&payer),
                    100,
                    1_000_000,
                )
                .expect("transfer fee config"),
                ExtensionType::MintCloseAuthority => spl_token_2022::instruction::initialize_mint_close_authority(
                    &token_program,
                    &mint.pubkey(),
                    Some(&payer),
                )
                .expect("close authority"),
                ExtensionType::TransferHook => transfer_hook::instruction::initialize(
                    &token_program,
                    &mint.pubkey(),
                    Some(payer),
                    Some(Pubkey::new_unique()),
                )
                .expect("transfer hook"),
                ExtensionType::PermanentDelegate => {
                    spl_token_2022::instruction::initialize_permanent_delegate(&token_program, &mint.pubkey(), &payer)
                        .expect("permanent delegate")
                }
                ExtensionType::DefaultAccountState => default_account_state::instruction::initialize_default_account_state(
                    &token_program,
                    &mint.pubkey(),
                    &AccountState::Frozen,
                )
                .expect("default account state"),
                ExtensionType::NonTransferable => {
                    spl_token_2022::instruction::initialize_non_transferable_mint(&token_program, &mint.pubkey()).expect("non-transferable")
                }
                ExtensionType::Pausable => {
                    pausable::instruction::initialize(&token_program, &mint.pubkey(), &payer).expect("pausable")
                }
                ExtensionType::ConfidentialTransferMint => confidential_transfer::instruction::initialize_mint(
                    &token_program,
                    &mint.pubkey(),
                    Some(payer),
                    true,
                    None,
                )
                .expect("confidential transfers"),
                other => panic!("no initialiser for {other:?} in the test helpers"),
            });
        }
        ixs.push(
            spl_token_2022::instruction::initialize_mint2(&token_program, &mint.pubkey(), &payer, freeze_authority.as_ref(), DECIMALS)
                .expect("initialize mint"),
        );
        self.send(&ixs, &[mint]).await.expect("create mint");
        mint.pubkey()
    }

    /// A mint the market accepts for payment.
    pub async fn accepted_mint(&mut self, token_program: Pubkey) -> Pay {
        let mint = self.create_mint_with(token_program, &[]).await;
        let admin = self.admin();
        let ix = builders::add_payment_mint(&admin.pubkey(), &self.treasury.pubkey(), &mint, &token_program, MINT_TERMS);
        self.send(&[ix], &[&admin]).await.expect("add_payment_mint");
        Pay::Token { mint, token_program }
    }

    /// Freezes (or thaws) a token account of a mint whose freeze authority is the context's payer.
    pub async fn set_frozen(&mut self, account: &Pubkey, pay: &Pay, frozen: bool) {
        let (mint, token_program) = pay.token();
        let payer = self.ctx.payer.pubkey();
        let ix = if frozen {
            spl_token_2022::instruction::freeze_account(&token_program, account, &mint, &payer, &[])
        } else {
            spl_token_2022::instruction::thaw_account(&token_program, account, &mint, &payer, &[])
        };
        self.send(&[ix.expect("freeze instruction")], &[]).await.expect("freeze or thaw");
    }

    /// Creates `owner`'s associated token account for the job's mint if missing, paid by the context's payer.
    pub fn create_ata_ix(&self, owner: &Pubkey, pay: &Pay) -> Instruction {
        let (mint, token_program) = pay.token();
        create_associated_token_account_idempotent(&self.ctx.payer.pubkey(), owner, &mint, &token_program)
    }

    /// Gives `owner` STARTING_TOKENS of the mint in its associated token account.
    pub async fn fund_tokens(&mut self, owner: &Pubkey, pay: &Pay) {
        let (mint, token_program) = pay.token();
        let ata = pda::ata(owner, &mint, &token_program);
        let payer = self.ctx.payer.pubkey();
        let mint_to =
            spl_token_2022::instruction::mint_to_checked(&token_program, &mint, &ata, &payer, &[], STARTING_TOKENS, DECIMALS)
                .expect("mint_to");
        let create = self.create_ata_ix(owner, pay);
        self.send(&[create, mint_to], &[]).await.expect("fund tokens");
    }

    /// A stranger holding tokens of the mint sends `amount` of them to the token account `to`.
    pub async fn donate_tokens(&mut self, pay: &Pay, to: &Pubkey, amount: u64) {
        let stranger = self.funded_keypair().await;
        self.fund_tokens(&stranger.pubkey(), pay).await;
        let (mint, token_program) = pay.token();
        let from = pda::ata(&stranger.pubkey(), &mint, &token_program);
        let ix = spl_token_2022::instruction::transfer_checked(&token_program, &from, &mint, to, &stranger.pubkey(), &[], amount, DECIMALS)
            .expect("transfer");
        self.send(&[ix], &[&stranger]).await.expect("donation");
    }

    /// The token balance of a token account, or `None` when it does not exist.
    pub async fn token_balance(&mut self, account: &Pubkey) -> Option<u64> {
        let account = self.ctx.banks_client.get_account(*account).await.expect("get_account")?;
        let state = StateWithExtensions::<TokenAccountState>::unpack(&account.data).expect("token account");
        Some(state.base.amount)
    }

    /// The balance of `owner`'s associated token account in the job's mint (0 when it has none).
    pub async fn tokens_of(&mut self, owner: &Pubkey, pay: &Pay) -> u64 {
        let (mint, token_program) = pay.token();
        self.token_balance(&pda::ata(owner, &mint, &token_program)).await.unwrap_or(0)
    }
}
