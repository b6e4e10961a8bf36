//! Fingerprints the migrations and the communes file so test templates are rebuilt when they change.
use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Hashes every file under `dir` with its path relative to `base`: a migration's directory
/// name is its version, so renaming one must change the fingerprint too.
fn hash_dir(base: &Path, dir: &Path, h: &mut Sha256) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            hash_dir(base, &p, h);
        } else if let Ok(bytes) = fs::read(&p) {
            let name = p.strip_prefix(base).unwrap_or(&p);
            h.update(name.to_string_lossy().as_bytes());
            h.update(&bytes);
        }
    }
}

fn main() {
    // Read at run time, not with env!(): a build script binary reused from another checkout
    // (a copied target/) would otherwise hash that checkout's migrations.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest).join("..");
    let inputs = [
        root.join("migrations"),
        root.join("data/communes.csv"),
        // Rust-side migrations live here too.
        root.join("api/src/db/migrations.rs"),
    ];
    if fs::read_dir(&inputs[0]).is_err() {
        panic!("cannot read {}", inputs[0].display());
    }
    let mut h = Sha256::new();
    hash_dir(&inputs[0], &inputs[0], &mut h);
    for file in &inputs[1..] {
        match fs::read(file) {
            Ok(bytes) => h.update(&bytes),
            // A fingerprint of nothing would let two different schemas share a test template.
            Err(e) => panic!("cannot read {}: {e}", file.display()),
        }
    }
    println!(
        "cargo:rustc-env=SAS_MIGRATIONS_FINGERPRINT={}",
        &hex::encode(h.finalize())[..16]
    );
    // Absolute paths: a build output carried over from another checkout is rerun here.
    for input in &inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
}
