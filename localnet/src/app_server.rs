//! Serves the built dApp (`app/dist`) beside the node, with a `/config.json` that points the dApp's
//! "localnet" cluster at this node's JSON-RPC and WebSocket addresses at its matcher and at the index's API,
//! and names the mints it can pay in (`mints`: address, symbol, decimals).

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use compute_market_client::mints::MintLabel;
use compute_market_endpoint::{Endpoint, Handler, Reply};

/// What the dApp reads from `/config.json`.
pub struct AppConfig {
    pub rpc_url: String,
    pub ws_url: String,
    pub matcher_url: String,
    /// The index's REST API, when one runs.
    pub api_url: Option<String>,
    /// The tokens jobs can be paid in here, by symbol.
    pub mints: Vec<MintLabel>,
}

/// Serves `dir` at `listen` until the process ends; refuses to start without `dir/index.html`.
pub fn serve(dir: &Path, listen: SocketAddr, config: &AppConfig) -> Result<Endpoint, String> {
    if !dir.join("index.html").is_file() {
        return Err(format!("{} has no index.html: build the dApp first (cd app && npm ci && npm run build)", dir.display()));
    }
    let config = config_json(config);
    let dir = dir.to_path_buf();
    let handler: Handler = Arc::new(move |path: &str| match path {
        "/config.json" => Reply::json(200, &config),
        _ => static_file(&dir, path),
    });
    Endpoint::serve(listen, handler)
}

/// What `/config.json` answers.
fn config_json(config: &AppConfig) -> serde_json::Value {
    serde_json::json!({
        "rpcUrl": config.rpc_url,
        "wsUrl": config.ws_url,
        "matcherUrl": config.matcher_url,
        "apiUrl": config.api_url,
        "mints": config.mints,
    })
}

fn static_file(dir: &Path, path: &str) -> Reply {
    let Some(file) = file_for(dir, path) else {
        return Reply::not_found(&format!("no file at {path}"));
    };
    match std::fs::read(&file) {
        Ok(body) => Reply::bytes(content_type(&file), body),
        Err(_) => Reply::not_found(&format!("no file at {path}")),
    }
}

/// The file under `dir` for a request path: `/` is index.html; paths leaving `dir` have none.
fn file_for(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = dir.join(relative);
    if file.is_file() {
        Some(file)
    } else if path == "/" || path.is_empty() {
        Some(dir.join("index.html"))
    } else {
        None
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_names_the_mints_by_symbol_with_their_decimals() {
        let mint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v".to_string();
        let config = AppConfig {
            rpc_url: "http://127.0.0.1:8899".into(),
            ws_url: "ws://127.0.0.1:8900".into(),
            matcher_url: "http://127.0.0.1:8901".into(),
            api_url: None,
            mints: vec![MintLabel { symbol: "USDC".into(), address: mint.clone(), decimals: Some(6) }],
        };
        let json = config_json(&config);
        assert_eq!(json["mints"], serde_json::json!([{ "address": mint, "symbol": "USDC", "decimals": 6 }]));
        assert_eq!(json["apiUrl"], serde_json::Value::Null);
    }

    #[test]
    fn maps_paths_inside_the_folder_only() {
        let dir = std::env::temp_dir().join(format!("cm-app-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<html>").unwrap();
        std::fs::write(dir.join("assets/app.js"), "js").unwrap();
        assert_eq!(file_for(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(file_for(&dir, "/assets/app.js"), Some(dir.join("assets/app.js")));
        assert_eq!(content_type(&dir.join("assets/app.js")), "text/javascript; charset=utf-8");
        assert_eq!(file_for(&dir, "/missing.js"), None);
        assert_eq!(file_for(&dir, "/../etc/passwd"), None);
        assert_eq!(file_for(&dir, "/assets/../../x"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
