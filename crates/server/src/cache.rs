//! Answers kept in memory until the store or the search index changes: a page read a
//! thousand times between two ingests is rendered once.
//!
//! What the record looks like is identified by its files: the database, its
//! write-ahead log and the search index's `meta.json` (size and modification time of
//! each). A commit by any process changes one of them, so a cached answer is only
//! served while they are exactly as they were when it was rendered.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Answers kept at most; when full, the cache starts again empty.
const ENTRIES: usize = 4_096;
/// Bodies larger than this are not kept.
const LARGEST: usize = 1 << 20;

/// Size and modification time of each file the record is read from.
type Generation = [(u64, Option<SystemTime>); 3];

fn generation(data: &Path) -> Generation {
    let of = |path: &Path| match std::fs::metadata(path) {
        Ok(meta) => (meta.len(), meta.modified().ok()),
        Err(_) => (0, None),
    };
    [
        of(&data.join(chronicle_store::DATABASE_FILE)),
        of(&data.join(format!("{}-wal", chronicle_store::DATABASE_FILE))),
        of(&data.join(chronicle_search::SEARCH_DIR).join("meta.json")),
    ]
}

#[derive(Clone, Debug)]
struct Kept {
    generation: Generation,
    content_type: Option<header::HeaderValue>,
    body: Bytes,
}

/// The cache of one server.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResponseCache(Arc<Mutex<HashMap<String, Kept>>>);

/// The middleware: a GET answered from the cache when the record has not changed
/// since, else rendered and kept when it is a 200.
pub(crate) async fn cached(
    State(state): State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    // The same path may answer in several formats, chosen by `Accept`.
    let key = format!(
        "{} {}",
        request.uri(),
        request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    );
    let now = generation(&state.data);
    let hit = state
        .cache
        .0
        .lock()
        .ok()
        .and_then(|kept| kept.get(&key).filter(|k| k.generation == now).cloned());
    if let Some(kept) = hit {
        let mut headers = HeaderMap::new();
        if let Some(kind) = kept.content_type {
            headers.insert(header::CONTENT_TYPE, kind);
        }
        return (StatusCode::OK, headers, kept.body).into_response();
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::LOCATION) {
        return response;
    }
    // Only answers of a known, modest size are kept; others pass through as they are.
    let size = HttpBody::size_hint(response.body()).exact();
    if size.is_none_or(|size| size > LARGEST as u64) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, LARGEST).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the answer could not be read",
        )
            .into_response();
    };
    // Kept only if nothing changed while it was rendered.
    if generation(&state.data) == now
        && let Ok(mut kept) = state.cache.0.lock()
    {
        if kept.len() >= ENTRIES {
            kept.clear();
        }
        kept.insert(
            key,
            Kept {
                generation: now,
                content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
                body: body.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(body))
}
