//! Wake-ups on program account changes: a WebSocket `programSubscribe` (filtered by the node) that
//! reconnects after a drop. Services that use it also poll on a timer, so without a WebSocket they are
//! slower, never stuck.

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use compute_market::ID;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_pubsub_client::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::RpcFilterType;

/// The WebSocket URL beside an RPC URL, by the Solana convention: same host, port + 1, ws(s).
pub fn websocket_url(rpc_url: &str) -> String {
    let (scheme, rest) = match rpc_url.split_once("://") {
        Some(("https", rest)) => ("wss", rest),
        Some((_, rest)) => ("ws", rest),
        None => ("ws", rpc_url),
    };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let authority = match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) => format!("{host}:{}", port.saturating_add(1)),
            Err(_) => authority.to_string(),
        },
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}/{path}")
}

/// Signals that something the subscription covers changed.
pub struct Wakeups {
    receiver: Receiver<()>,
}

impl Wakeups {
    /// Subscribes (in a background thread) to changes of program accounts that pass `filters`.
    pub fn subscribe(ws_url: &str, filters: Vec<RpcFilterType>, label: &'static str) -> Wakeups {
        let (sender, receiver) = channel();
        let url = ws_url.to_string();
        std::thread::spawn(move || {
            let mut backoff = Duration::from_millis(500);
            loop {
                let config = RpcProgramAccountsConfig {
                    filters: Some(filters.clone()),
                    account_config: RpcAccountInfoConfig {
                        encoding: Some(UiAccountEncoding::Base64),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                match PubsubClient::program_subscribe(url.as_str(), &ID, Some(config)) {
                    Ok((_subscription, notifications)) => {
                        backoff = Duration::from_millis(500);
                        for _ in notifications.iter() {
                            if sender.send(()).is_err() {
                                return;
                            }
                        }
                        eprintln!("{label}: the WebSocket subscription at {url} ended; polling until it is back");
                    }
                    Err(error) => eprintln!("{label}: no WebSocket subscription at {url} ({error}); polling meanwhile"),
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        });
        Wakeups { receiver }
    }

    /// Waits for a change or `timeout`, whichever comes first; true if something changed. Later
    /// notifications already queued are absorbed into this one.
    pub fn wait(&self, timeout: Duration) -> bool {
        let changed = match self.receiver.recv_timeout(timeout) {
            Ok(()) => true,
            Err(RecvTimeoutError::Timeout) => false,
            // The subscription thread never exits while we hold the receiver; treat it as a timeout.
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                false
            }
        };
        while self.receiver.try_recv().is_ok() {}
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn websocket_url_follows_the_port_plus_one_convention() {
        assert_eq!(websocket_url("http://127.0.0.1:8899"), "ws://127.0.0.1:8900/");
        assert_eq!(websocket_url("https://api.devnet.solana.com"), "wss://api.devnet.solana.com/");
        assert_eq!(websocket_url("http://localhost:9000/rpc"), "ws://localhost:9001/rpc");
    }
}
