//! A small read-only HTTP/1.1 endpoint: GET requests are answered by a handler from their path. The
//! marketplace's services use it to publish what they hold: the provider agent its result bundles, the
//! matcher its explanations. It runs on its own thread with a single-threaded runtime.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

/// What a handler answers.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply { status, content_type: "application/json", body: value.to_string().into_bytes() }
    }

    pub fn bytes(content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply { status: 200, content_type, body }
    }

    pub fn not_found(message: &str) -> Reply {
        Reply::json(404, &serde_json::json!({ "error": message }))
    }
}

pub type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// A running endpoint; it serves until the process ends.
pub struct Endpoint {
    pub address: SocketAddr,
}

impl Endpoint {
    /// Binds `address` (port 0 picks a free one) and serves `handler` from a background thread.
    pub fn serve(address: SocketAddr, handler: Handler) -> Result<Endpoint, String> {
        let listener = std::net::TcpListener::bind(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| format!("endpoint runtime: {e}"))?;
        std::thread::spawn(move || runtime.block_on(accept_loop(listener, handler)));
        Ok(Endpoint { address })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

async fn accept_loop(listener: std::net::TcpListener, handler: Handler) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => return eprintln!("endpoint: {error}"),
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let handler = handler.clone();
        tokio::task::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(answer(&request, &handler)) }
            });
            // A client that goes away mid-request is its own business.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

fn answer(request: &Request<Incoming>, handler: &Handler) -> hyper::Response<Full<Bytes>> {
    let reply = if request.method() == Method::GET {
        handler(request.uri().path())
    } else {
        Reply::json(405, &serde_json::json!({ "error": "only GET is served here" }))
    };
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    // Browsers (the dApp) read bundles and explanations from other origins.
    response.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(address: SocketAddr, request: &str) -> String {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn answers_get_by_path_and_refuses_other_methods() {
        let handler: Handler = Arc::new(|path: &str| match path {
            "/hello" => Reply::bytes("text/plain", b"hi".to_vec()),
            other => Reply::not_found(&format!("nothing at {other}")),
        });
        let endpoint = Endpoint::serve("127.0.0.1:0".parse().unwrap(), handler).unwrap();
        let ok = get(endpoint.address, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(ok.starts_with("HTTP/1.1 200") && ok.ends_with("hi"), "{ok}");
        let missing = get(endpoint.address, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(missing.starts_with("HTTP/1.1 404") && missing.contains("nothing at /nope"), "{missing}");
        let post = get(endpoint.address, "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    }
}
