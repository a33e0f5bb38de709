//! The static embedding model: a tokenizer and one vector per token.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use half::f16;
use half::slice::HalfFloatSliceExt;
use tokenizers::Tokenizer;

/// The bundled model (see `assets/embeddings/NOTICE.md`): all-MiniLM-L6-v2 distilled to one
/// 256-dimension vector per word piece by `tools/distill-embeddings`.
const BUNDLED_TOKENIZER: &[u8] = include_bytes!("../../../assets/embeddings/tokenizer.json");
const BUNDLED_VECTORS: &[u8] = include_bytes!("../../../assets/embeddings/minilm-static-256.bin");

/// Loading an embedding model failed.
#[derive(Debug, thiserror::Error)]
pub enum MeaningError {
    #[error("cannot read the embedding model at {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the embedding model's tokenizer is not valid: {0}")]
    Tokenizer(String),
    #[error("the embedding model's vectors are not valid: {0}")]
    Vectors(String),
}

/// A unit-length vector of a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Vector(Box<[f32]>);

impl Vector {
    /// Cosine similarity (both are unit length).
    pub fn cosine(&self, other: &Vector) -> f32 {
        self.0.iter().zip(other.0.iter()).map(|(a, b)| a * b).sum()
    }
}

/// A static embedding model: a tokenizer and a row of `dims` half-precision floats per token.
pub struct Encoder {
    tokenizer: Tokenizer,
    dims: usize,
    rows: usize,
    /// The rows, as stored (little-endian f16): converted per look-up, so the bundled model
    /// stays in the binary's read-only pages and costs memory only for the tokens used.
    vectors: Cow<'static, [u8]>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("rows", &self.rows)
            .field("dims", &self.dims)
            .finish_non_exhaustive()
    }
}

impl Encoder {
    /// The model compiled into the binary, loaded once per process.
    pub fn bundled() -> Result<&'static Encoder, &'static MeaningError> {
        static BUNDLED: OnceLock<Result<Encoder, MeaningError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Encoder::new(BUNDLED_TOKENIZER, Cow::Borrowed(BUNDLED_VECTORS)))
            .as_ref()
    }

    /// A model from a tokenizer (Hugging Face `tokenizer.json`) and a vector file: rows and
    /// dimensions as little-endian `u32`s, then rows × dimensions little-endian `f16`s.
    pub fn new(tokenizer: &[u8], vectors: Cow<'static, [u8]>) -> Result<Encoder, MeaningError> {
        let mut tokenizer =
            Tokenizer::from_bytes(tokenizer).map_err(|e| MeaningError::Tokenizer(e.to_string()))?;
        // Sentences are embedded whole, and one at a time.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| MeaningError::Tokenizer(e.to_string()))?;
        let header = |i: usize| -> Result<usize, MeaningError> {
            let bytes: [u8; 4] = vectors
                .get(i * 4..i * 4 + 4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| MeaningError::Vectors("shorter than its 8-byte header".into()))?;
            Ok(u32::from_le_bytes(bytes) as usize)
        };
        let (rows, dims) = (header(0)?, header(1)?);
        if dims == 0 || vectors.len() != 8 + rows * dims * 2 {
            return Err(MeaningError::Vectors(format!(
                "{} bytes for {rows} rows of {dims} half-precision values",
                vectors.len()
            )));
        }
        Ok(Encoder {
            tokenizer,
            dims,
            rows,
            vectors,
        })
    }

    /// A model from a folder holding `tokenizer.json` and `vectors.bin`.
    pub fn from_dir(dir: &Path) -> Result<Encoder, MeaningError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| MeaningError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        Encoder::new(&read("tokenizer.json")?, Cow::Owned(read("vectors.bin")?))
    }

    /// The mean of the text's token vectors, unit length; `None` when no token is known.
    pub fn embed(&self, text: &str) -> Option<Vector> {
        self.embed_parts(text, std::slice::from_ref(&(0..text.len())))
            .pop()
            .flatten()
    }

    /// `embed` of each part of `text` (byte ranges, in order, not overlapping), with one pass
    /// of the tokenizer over the whole text: its fixed cost per call is most of the cost of a
    /// short sentence.
    pub fn embed_parts(&self, text: &str, parts: &[Range<usize>]) -> Vec<Option<Vector>> {
        let mut sums = vec![vec![0f32; self.dims]; parts.len()];
        let mut counts = vec![0usize; parts.len()];
        if let Ok(encoding) = self.tokenizer.encode(text, false) {
            let mut halves = vec![f16::ZERO; self.dims];
            let mut row = vec![0f32; self.dims];
            let mut part = 0;
            for (&id, &(start, _)) in encoding.get_ids().iter().zip(encoding.get_offsets()) {
                while part < parts.len() && parts[part].end <= start {
                    part += 1;
                }
                let id = id as usize;
                if part == parts.len() || start < parts[part].start || id >= self.rows {
                    continue;
                }
                let bytes = &self.vectors[8 + id * self.dims * 2..][..self.dims * 2];
                for (h, b) in halves.iter_mut().zip(bytes.chunks_exact(2)) {
                    *h = f16::from_le_bytes([b[0], b[1]]);
                }
                // Converting the row at once uses the CPU's conversion instructions.
                halves.convert_to_f32_slice(&mut row);
                for (s, x) in sums[part].iter_mut().zip(&row) {
                    *s += x;
                }
                counts[part] += 1;
            }
        }
        sums.into_iter()
            .zip(counts)
            .map(|(sum, n)| {
                let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
                (n > 0 && norm > 0.0).then(|| Vector(sum.into_iter().map(|x| x / norm).collect()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_model_loads_and_tells_paraphrase_from_another_topic() {
        let e = Encoder::bundled().expect("bundled model");
        let v = |t: &str| e.embed(t).expect("known words");
        let point = v("Indexes slow down writes and take extra disk space.");
        let paraphrase =
            v("Every insert has to update the lookup structure too, and it eats storage.");
        let elsewhere = v("We held a retrospective and agreed on action items.");
        assert!(point.cosine(&paraphrase) > point.cosine(&elsewhere) + 0.1);
        assert!((point.cosine(&point) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn a_broken_vector_file_is_named_as_such() {
        let err = Encoder::new(
            BUNDLED_TOKENIZER,
            Cow::Borrowed(&[1, 0, 0, 0, 4, 0, 0, 0, 0]),
        )
        .expect_err("too short");
        assert!(err.to_string().contains("vectors are not valid"), "{err}");
    }
}
