//! Errors a client sees, with the program's own errors by name.
//!
//! A program error is named from the transaction's logs when the program wrote them (the sBPF build
//! logs `Error Code: <name>` for its own and Anchor's errors), and otherwise from the committed IDL's
//! error table (a natively loaded program writes no logs).

use std::fmt;
use std::sync::OnceLock;

use anchor_lang::prelude::Pubkey;
use solana_rpc_client_api::client_error::Error as RpcClientError;
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_transaction_error::TransactionError;

use crate::decode::DecodeError;

const IDL: &str = include_str!("../../../idl/compute_market.json");

#[derive(Debug)]
pub enum ClientError {
    /// The node could not be reached or answered with an error of its own.
    Rpc(String),
    /// No account at the address, or not one of the program's.
    NotFound { what: &'static str, address: Pubkey },
    /// The account exists but is not the expected type.
    Decode { what: &'static str, address: Pubkey, error: DecodeError },
    /// The program refused the transaction; nothing it would have moved was moved.
    Program { code: u32, name: String, message: String },
    /// The runtime refused the transaction (fees, signatures, account rules).
    Transaction(String),
    /// Input refused before anything was signed.
    Invalid(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Rpc(message) => write!(f, "RPC error: {message}"),
            ClientError::NotFound { what, address } => write!(f, "no {what} at {address}"),
            ClientError::Decode { what, address, error } => write!(f, "{address} is not a {what}: {error}"),
            ClientError::Program { code, name, message } => write!(f, "{name} ({code}): {message}"),
            ClientError::Transaction(message) => write!(f, "transaction refused: {message}"),
            ClientError::Invalid(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl ClientError {
    /// The program error's name (`JobNotOpen`, `AccountOwnedByWrongProgram`...), if this is one.
    pub fn program_error_name(&self) -> Option<&str> {
        match self {
            ClientError::Program { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// A failed RPC call, with a program error named.
impl From<RpcClientError> for ClientError {
    fn from(error: RpcClientError) -> Self {
        let logs = preflight_logs(&error);
        match error.get_transaction_error() {
            Some(TransactionError::InstructionError(_, instruction_error)) => {
                match instruction_error {
                    solana_instruction::error::InstructionError::Custom(code) => program_error(code, &logs),
                    other => ClientError::Transaction(format!("{other}")),
                }
            }
            Some(other) => ClientError::Transaction(other.to_string()),
            None => ClientError::Rpc(error.to_string()),
        }
    }
}

fn preflight_logs(error: &RpcClientError) -> Vec<String> {
    match error.kind() {
        solana_rpc_client_api::client_error::ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(result),
            ..
        }) => result.logs.clone().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A custom program error, named from the logs or the IDL.
pub fn program_error(code: u32, logs: &[String]) -> ClientError {
    if let Some((name, message)) = named_in_logs(code, logs) {
        return ClientError::Program { code, name, message };
    }
    match idl_error(code) {
        Some((name, message)) => ClientError::Program { code, name: name.to_string(), message: message.to_string() },
        None => ClientError::Program { code, name: format!("Error{code}"), message: "not a compute_market error".into() },
    }
}

/// Anchor logs `... Error Code: <name>. Error Number: <code>. Error Message: <message>.`
fn named_in_logs(code: u32, logs: &[String]) -> Option<(String, String)> {
    let number = format!("Error Number: {code}.");
    logs.iter().filter(|line| line.contains(&number)).find_map(|line| {
        let name = line.split("Error Code: ").nth(1)?.split('.').next()?.to_string();
        let message = line.split("Error Message: ").nth(1)?.trim_end_matches('.').to_string();
        Some((name, message))
    })
}

/// The program's own error `code` from the committed IDL: its name and message.
pub fn idl_error(code: u32) -> Option<(&'static str, &'static str)> {
    static TABLE: OnceLock<Vec<(u32, String, String)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let idl: serde_json::Value = serde_json::from_str(IDL).expect("the committed IDL is JSON");
        idl["errors"]
            .as_array()
            .expect("the IDL lists errors")
            .iter()
            .map(|e| {
                let code = e["code"].as_u64().expect("error code") as u32;
                (code, e["name"].as_str().unwrap_or_default().to_string(), e["msg"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    });
    table.iter().find(|(c, ..)| *c == code).map(|(_, name, message)| (name.as_str(), message.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use compute_market::error::MarketError;

    #[test]
    fn names_program_errors_from_the_idl() {
        let code: u32 = MarketError::NotAdmin.into();
        let error = program_error(code, &[]);
        assert_eq!(error.program_error_name(), Some("NotAdmin"));
        assert_eq!(error.to_string(), "NotAdmin (6000): Only the market admin may do this");
    }

    #[test]
    fn prefers_the_name_in_the_logs() {
        let logs = vec!["Program log: AnchorError caused by account: job. Error Code: AccountOwnedByWrongProgram. Error Number: 3007. Error Message: Program ID was not as expected.".to_string()];
        let error = program_error(3007, &logs);
        assert_eq!(error.program_error_name(), Some("AccountOwnedByWrongProgram"));
        assert_eq!(program_error(3007, &[]).program_error_name(), Some("Error3007"));
    }
}
