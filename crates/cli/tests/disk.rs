//! A disk that fills up mid-ingest, and a data directory that turns read-only: a clear
//! error that says what to do, a store that still opens and checks, nothing committed
//! lost, a rerun with room that ends with the same record as a run that never
//! failed, and a read-only store still read and searched.
//!
//! It needs a small file system of its own, so it mounts a tmpfs (root, or a
//! container allowed to mount). Where mounting is refused it says so and passes,
//! unless `CHRONICLE_DISK_TESTS=1` requires it.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on the first surprise"
)]

mod common;

use common::{assert_store_checks, chronicle, root, run_ok, stored_articles};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then(|| Self(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn locations(data: &Path) -> BTreeSet<String> {
    stored_articles(data)
        .iter()
        .map(|a| a["locations"][0].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_full_disk_and_a_read_only_directory_lose_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&temp.path().join("disk"), "1m") else {
        assert!(
            std::env::var("CHRONICLE_DISK_TESTS").as_deref() != Ok("1"),
            "mounting a tmpfs was refused, and CHRONICLE_DISK_TESTS=1 requires this test"
        );
        eprintln!("skipped: this process may not mount a tmpfs");
        return;
    };
    let corpus = root().join("examples/corpus");
    let reference = temp.path().join("reference");
    run_ok(chronicle(&reference).arg("ingest").arg(&corpus));
    let expected = locations(&reference);

    // The sample corpus needs more than a megabyte: the disk fills mid-run.
    let data = disk.0.join("data");
    let full = chronicle(&data)
        .arg("ingest")
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        !full.status.success(),
        "the ingest should have run out of room"
    );
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(stderr.contains("is full"), "{stderr}");
    assert!(
        stderr.contains("free some space and run the same command again"),
        "{stderr}"
    );
    assert_store_checks(&data);
    let before = locations(&data);
    assert!(before.is_subset(&expected));

    disk.remount("size=64m");
    run_ok(chronicle(&data).arg("ingest").arg(&corpus));
    assert_store_checks(&data);
    let after = locations(&data);
    assert!(
        before.is_subset(&after),
        "articles committed before the disk filled were lost"
    );
    assert_eq!(
        after, expected,
        "the rerun's record differs from an uninterrupted run"
    );

    // Read-only: writing is refused with a reason, reading still works.
    disk.remount("ro");
    let refused = chronicle(&data)
        .arg("ingest")
        .arg(corpus.join("text"))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("cannot be written"), "{stderr}");
    assert_store_checks(&data);
    assert_eq!(locations(&data), expected);
    let events = run_ok(chronicle(&data).args(["events", "--format", "json"]));
    assert!(!events.stdout.is_empty());
    let found = run_ok(chronicle(&data).args(["search", "earthquake"]));
    assert!(
        String::from_utf8_lossy(&found.stdout).contains("hits"),
        "search on a read-only store"
    );
}
