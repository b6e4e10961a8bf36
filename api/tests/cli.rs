//! The `sas` binary itself: commands refused outside development.
// Test code: a failure to run the binary is the test failing.
#![allow(clippy::expect_used)]
use std::process::Command;

/// A secret a production configuration accepts (so only SAS_ENV decides).
const SECRET: &str = "q8Zk3N0vR7mTgY2wXcLp9HsJ4uBfE6aD1oKiW5nQzVxMy+Tr/Ge8hUjC0lPbSdAF";

fn seed_demo(env: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sas"));
    cmd.arg("seed-demo")
        .env_remove("SAS_ENV")
        // Nothing listens there: had the command gone on, it would fail to connect.
        .env("DATABASE_URL", "postgres://sas@127.0.0.1:9/none")
        .env("SAS_JWT_SECRET", SECRET)
        .env("RUST_LOG", "info");
    if let Some(e) = env {
        cmd.env("SAS_ENV", e);
    }
    let out = cmd.output().expect("sas runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn seed_demo_is_refused_in_production() {
    for env in [None, Some("prod")] {
        let (ok, stderr) = seed_demo(env);
        assert!(!ok, "SAS_ENV={env:?}");
        assert!(
            stderr.contains("only runs with SAS_ENV=dev"),
            "SAS_ENV={env:?}: {stderr}"
        );
    }
    // In dev it goes on (and here fails on the database, not on the guard).
    let (ok, stderr) = seed_demo(Some("dev"));
    assert!(!ok);
    assert!(!stderr.contains("only runs with SAS_ENV=dev"), "{stderr}");
}
