//! A plain-Rust f32 BERT encoder (the all-MiniLM-L6-v2 shape), written for bit-exact
//! reproducibility rather than speed: every sum runs in a fixed order, nothing is
//! dispatched on CPU features, and the transcendental functions come from the `libm`
//! crate (pure Rust) instead of the platform's libm. Rust never contracts `a * b + c`
//! into an FMA, and LLVM does not reorder float reductions without fast-math flags, so
//! the compiler's vectorisation of these loops cannot change a single bit.

use anyhow::{bail, ensure, Context, Result};
use safetensors::{Dtype, SafeTensors};

pub const HIDDEN: usize = 384;
pub const HEADS: usize = 12;
pub const HEAD_DIM: usize = HIDDEN / HEADS;
pub const INTERMEDIATE: usize = 1536;
pub const LAYERS: usize = 6;
pub const VOCAB: usize = 30522;
pub const MAX_POSITIONS: usize = 512;
const LAYER_NORM_EPS: f32 = 1e-12;

/// Output columns per packed weight panel.
const NR: usize = 8;
/// Input rows handled together by the matrix kernel.
const MR: usize = 4;

/// A PyTorch `Linear` (weight `[out, in]`, y = x·Wᵀ + b), with the weight repacked as
/// `[out / NR][in][NR]`: panel `p` holds columns `p*NR..p*NR+NR` of Wᵀ, row by row.
pub struct Linear {
    in_dim: usize,
    out_dim: usize,
    panels: Vec<f32>,
    bias: Vec<f32>,
}

impl Linear {
    fn load(st: &SafeTensors, name: &str, in_dim: usize, out_dim: usize) -> Result<Self> {
        assert_eq!(out_dim % NR, 0);
        let w = tensor(st, &format!("{name}.weight"), &[out_dim, in_dim])?;
        let bias = tensor(st, &format!("{name}.bias"), &[out_dim])?;
        let mut panels = vec![0f32; in_dim * out_dim];
        for (p, panel) in panels.chunks_exact_mut(in_dim * NR).enumerate() {
            for (i, row) in panel.chunks_exact_mut(NR).enumerate() {
                for (c, v) in row.iter_mut().enumerate() {
                    *v = w[(p * NR + c) * in_dim + i];
                }
            }
        }
        Ok(Self {
            in_dim,
            out_dim,
            panels,
            bias,
        })
    }

    /// `y[r] = x[r]·Wᵀ + b` for `rows` rows. Each output element is accumulated from
    /// 0.0 over the inputs in ascending order, then the bias is added: the same
    /// operations in the same order whichever kernel (4-row or 1-row) computes it.
    fn forward(&self, x: &[f32], rows: usize, y: &mut [f32]) {
        let (k, n) = (self.in_dim, self.out_dim);
        assert_eq!(x.len(), rows * k);
        assert_eq!(y.len(), rows * n);
        for (p, panel) in self.panels.chunks_exact(k * NR).enumerate() {
            let j0 = p * NR;
            let bias: &[f32; NR] = self.bias[j0..j0 + NR].try_into().unwrap();
            let mut r = 0;
            while r + MR <= rows {
                let xs: [&[f32]; MR] = std::array::from_fn(|m| &x[(r + m) * k..(r + m + 1) * k]);
                let mut acc = [[0f32; NR]; MR];
                for (i, w) in panel.chunks_exact(NR).enumerate() {
                    let w: &[f32; NR] = w.try_into().unwrap();
                    for m in 0..MR {
                        let xv = xs[m][i];
                        for c in 0..NR {
                            acc[m][c] += xv * w[c];
                        }
                    }
                }
                for (m, acc) in acc.iter().enumerate() {
                    let out = &mut y[(r + m) * n + j0..(r + m) * n + j0 + NR];
                    for c in 0..NR {
                        out[c] = acc[c] + bias[c];
                    }
                }
                r += MR;
            }
            while r < rows {
                let xr = &x[r * k..(r + 1) * k];
                let mut acc = [0f32; NR];
                for (xv, w) in xr.iter().zip(panel.chunks_exact(NR)) {
                    let w: &[f32; NR] = w.try_into().unwrap();
                    for c in 0..NR {
                        acc[c] += xv * w[c];
                    }
                }
                let out = &mut y[r * n + j0..r * n + j0 + NR];
                for c in 0..NR {
                    out[c] = acc[c] + bias[c];
                }
                r += 1;
            }
        }
    }
}

pub struct LayerNorm {
    gamma: Vec<f32>,
    beta: Vec<f32>,
}

impl LayerNorm {
    fn load(st: &SafeTensors, name: &str) -> Result<Self> {
        Ok(Self {
            gamma: tensor(st, &format!("{name}.weight"), &[HIDDEN])?,
            beta: tensor(st, &format!("{name}.bias"), &[HIDDEN])?,
        })
    }

    /// In place, row by row: (x − mean) / sqrt(var + eps) · γ + β, with the biased
    /// variance, sums taken left to right.
    fn apply(&self, x: &mut [f32]) {
        for row in x.chunks_exact_mut(HIDDEN) {
            let mut sum = 0f32;
            for &v in row.iter() {
                sum += v;
            }
            let mean = sum / HIDDEN as f32;
            let mut sq = 0f32;
            for v in row.iter_mut() {
                *v -= mean;
                sq += *v * *v;
            }
            let var = sq / HIDDEN as f32;
            let denom = (var + LAYER_NORM_EPS).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&self.gamma).zip(&self.beta) {
                *v = *v / denom * g + b;
            }
        }
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    ffn_in: Linear,
    ffn_out: Linear,
    ffn_norm: LayerNorm,
}

pub struct Bert {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    emb_norm: LayerNorm,
    layers: Vec<Layer>,
}

/// Reads an F32 tensor of exactly `shape` (little-endian bytes, any alignment).
fn tensor(st: &SafeTensors, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
    let view = st
        .tensor(name)
        .with_context(|| format!("tensor {name} missing from model.safetensors"))?;
    if view.dtype() != Dtype::F32 {
        bail!("tensor {name}: dtype {:?}, expected F32", view.dtype());
    }
    ensure!(
        view.shape() == shape,
        "tensor {name}: shape {:?}, expected {shape:?}",
        view.shape()
    );
    Ok(view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

impl Bert {
    pub fn load(st: &SafeTensors) -> Result<Self> {
        let mut layers = Vec::with_capacity(LAYERS);
        for l in 0..LAYERS {
            let p = format!("encoder.layer.{l}");
            layers.push(Layer {
                query: Linear::load(st, &format!("{p}.attention.self.query"), HIDDEN, HIDDEN)?,
                key: Linear::load(st, &format!("{p}.attention.self.key"), HIDDEN, HIDDEN)?,
                value: Linear::load(st, &format!("{p}.attention.self.value"), HIDDEN, HIDDEN)?,
                attn_out: Linear::load(st, &format!("{p}.attention.output.dense"), HIDDEN, HIDDEN)?,
                attn_norm: LayerNorm::load(st, &format!("{p}.attention.output.LayerNorm"))?,
                ffn_in: Linear::load(st, &format!("{p}.intermediate.dense"), HIDDEN, INTERMEDIATE)?,
                ffn_out: Linear::load(st, &format!("{p}.output.dense"), INTERMEDIATE, HIDDEN)?,
                ffn_norm: LayerNorm::load(st, &format!("{p}.output.LayerNorm"))?,
            });
        }
        ensure!(
            st.tensor(&format!(
                "encoder.layer.{LAYERS}.attention.self.query.weight"
            ))
            .is_err(),
            "model.safetensors has more than {LAYERS} layers"
        );
        Ok(Self {
            word: tensor(st, "embeddings.word_embeddings.weight", &[VOCAB, HIDDEN])?,
            position: tensor(
                st,
                "embeddings.position_embeddings.weight",
                &[MAX_POSITIONS, HIDDEN],
            )?,
            token_type: tensor(st, "embeddings.token_type_embeddings.weight", &[2, HIDDEN])?,
            emb_norm: LayerNorm::load(st, "embeddings.LayerNorm")?,
            layers,
        })
    }

    /// Runs the encoder on a batch of sequences, all of length `seq` (`ids.len()` is a
    /// multiple of `seq`; token type 0, positions 0..seq, no padding), and writes each
    /// sequence's mean-pooled last hidden state (HIDDEN floats) to `pooled`.
    pub fn mean_pooled(&self, ids: &[u32], seq: usize, pooled: &mut [f32]) {
        let rows = ids.len();
        assert_eq!(rows % seq, 0);
        assert!(seq <= MAX_POSITIONS);
        let batch = rows / seq;
        assert_eq!(pooled.len(), batch * HIDDEN);

        // Embeddings: (word + token_type) + position, as in BertEmbeddings.
        let mut h = vec![0f32; rows * HIDDEN];
        for (r, row) in h.chunks_exact_mut(HIDDEN).enumerate() {
            let id = ids[r] as usize;
            let word = &self.word[id * HIDDEN..(id + 1) * HIDDEN];
            let pos = &self.position[(r % seq) * HIDDEN..(r % seq + 1) * HIDDEN];
            let typ = &self.token_type[..HIDDEN];
            for j in 0..HIDDEN {
                row[j] = word[j] + typ[j] + pos[j];
            }
        }
        self.emb_norm.apply(&mut h);

        let mut q = vec![0f32; rows * HIDDEN];
        let mut k = vec![0f32; rows * HIDDEN];
        let mut v = vec![0f32; rows * HIDDEN];
        let mut ctx = vec![0f32; rows * HIDDEN];
        let mut tmp = vec![0f32; rows * HIDDEN];
        let mut inter = vec![0f32; rows * INTERMEDIATE];
        let scale = (HEAD_DIM as f32).sqrt();
        let mut scores = vec![0f32; seq];

        for layer in &self.layers {
            layer.query.forward(&h, rows, &mut q);
            layer.key.forward(&h, rows, &mut k);
            layer.value.forward(&h, rows, &mut v);
            for b in 0..batch {
                for head in 0..HEADS {
                    let off = head * HEAD_DIM;
                    for p in 0..seq {
                        let qp = &q[(b * seq + p) * HIDDEN + off..][..HEAD_DIM];
                        let mut max = f32::NEG_INFINITY;
                        for (p2, s) in scores.iter_mut().enumerate() {
                            let kp = &k[(b * seq + p2) * HIDDEN + off..][..HEAD_DIM];
                            let mut dot = 0f32;
                            for d in 0..HEAD_DIM {
                                dot += qp[d] * kp[d];
                            }
                            *s = dot / scale;
                            max = max.max(*s);
                        }
                        let mut sum = 0f32;
                        for s in scores.iter_mut() {
                            *s = libm::expf(*s - max);
                            sum += *s;
                        }
                        let out = &mut ctx[(b * seq + p) * HIDDEN + off..][..HEAD_DIM];
                        out.fill(0.0);
                        for (p2, s) in scores.iter().enumerate() {
                            let prob = s / sum;
                            let vp = &v[(b * seq + p2) * HIDDEN + off..][..HEAD_DIM];
                            for d in 0..HEAD_DIM {
                                out[d] += prob * vp[d];
                            }
                        }
                    }
                }
            }
            layer.attn_out.forward(&ctx, rows, &mut tmp);
            for (t, x) in tmp.iter_mut().zip(&h) {
                *t += x;
            }
            layer.attn_norm.apply(&mut tmp);
            std::mem::swap(&mut h, &mut tmp);

            layer.ffn_in.forward(&h, rows, &mut inter);
            for x in inter.iter_mut() {
                *x = gelu(*x);
            }
            layer.ffn_out.forward(&inter, rows, &mut tmp);
            for (t, x) in tmp.iter_mut().zip(&h) {
                *t += x;
            }
            layer.ffn_norm.apply(&mut tmp);
            std::mem::swap(&mut h, &mut tmp);
        }

        for (b, out) in pooled.chunks_exact_mut(HIDDEN).enumerate() {
            out.fill(0.0);
            for p in 0..seq {
                for (o, x) in out.iter_mut().zip(&h[(b * seq + p) * HIDDEN..][..HIDDEN]) {
                    *o += x;
                }
            }
            for o in out.iter_mut() {
                *o /= seq as f32;
            }
        }
    }
}

/// Exact (erf) GELU, as in BERT: x·0.5·(1 + erf(x/√2)).
fn gelu(x: f32) -> f32 {
    x * 0.5 * (1.0 + libm::erff(x / std::f32::consts::SQRT_2))
}
