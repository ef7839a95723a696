//! What the server's tests share: a store of the sample corpus with one hostile
//! article, and a request through the router without a socket.

#![allow(
    clippy::unwrap_used,
    dead_code,
    reason = "test helpers; each test binary uses some of them"
)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chronicle_pipeline::IngestOptions;
use chronicle_store::Store;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A store holding some of the sample corpus, and one hostile article.
pub fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.md");
    std::fs::write(
        &hostile,
        "---\ntitle: \"<script>alert(1)</script> Harbour <b>vote</b>\"\nurl: \"javascript:alert(2)\"\n\
         published: 2025-11-20\noutlet: \"The Quay <img src=x onerror=alert(3)>\"\n---\n\n\
         The harbour board of Port Velin voted on Tuesday to close the north quay <script>alert(4)</script> \
         for repairs, a decision crews said came without warning. [details](javascript:alert(5)) \
         <a href=\"javascript:alert(6)\">more</a> ]]> <![CDATA[ <svg onload=alert(7)> ]]>\n\n\
         Board chair Ilse Brandt said the quay would reopen in March after the work. \
         \"We will be back <iframe src=//evil.example></iframe> by spring,\" Brandt said.\n",
    )
    .unwrap();
    let mut store = Store::open(&dir.path().join("data")).unwrap();
    let inputs = vec![
        root().join("examples/corpus/html").display().to_string(),
        hostile.display().to_string(),
    ];
    chronicle_pipeline::ingest(&mut store, &inputs, &IngestOptions::default(), &mut |_| {})
        .unwrap();
    dir
}

pub async fn get(
    dir: &Path,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String, String) {
    let app = chronicle_server::router(dir.join("data"));
    let mut request = Request::builder().uri(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = app
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let csp = response
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        csp,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}
