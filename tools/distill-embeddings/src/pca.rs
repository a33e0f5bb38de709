//! PCA in f64 with every sum in a fixed order, so the result does not depend on the
//! number of threads. nalgebra's `SymmetricEigen` is plain Rust (Householder
//! tridiagonalisation and Givens QR steps built on +, −, ×, ÷ and sqrt), with no BLAS.

use nalgebra::{DMatrix, SymmetricEigen};
use rayon::prelude::*;

/// Covariance rows computed per parallel task.
const COV_BLOCK: usize = 8;

/// Centres the `n × dim` matrix `x`, finds its principal components and returns the
/// `n × k` projection onto the first `k` (f64), plus the eigenvalues (descending).
///
/// The covariance is the sample covariance (divided by n − 1). Components are sorted
/// by eigenvalue, largest first, and each eigenvector's sign is fixed so that its
/// component of largest absolute value (the first such, on a tie) is positive.
pub fn project(x: &[f32], dim: usize, k: usize) -> (Vec<f64>, Vec<f64>) {
    assert_eq!(x.len() % dim, 0);
    let n = x.len() / dim;
    assert!(n > 1 && k <= dim);

    // Column means, summed over rows in ascending order.
    let mut mean = vec![0f64; dim];
    for row in x.chunks_exact(dim) {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += f64::from(v);
        }
    }
    for m in mean.iter_mut() {
        *m /= n as f64;
    }
    let centred: Vec<f64> = x
        .chunks_exact(dim)
        .flat_map(|row| row.iter().zip(&mean).map(|(&v, m)| f64::from(v) - m))
        .collect();

    // Upper triangle of Σ_t d_t d_tᵀ: each element summed over t in ascending order,
    // whichever thread owns its block of rows.
    let blocks: Vec<Vec<f64>> = (0..dim.div_ceil(COV_BLOCK))
        .into_par_iter()
        .map(|blk| {
            let i0 = blk * COV_BLOCK;
            let i1 = (i0 + COV_BLOCK).min(dim);
            let mut acc = vec![0f64; (i1 - i0) * dim];
            for d in centred.chunks_exact(dim) {
                for i in i0..i1 {
                    let di = d[i];
                    let out = &mut acc[(i - i0) * dim..(i - i0 + 1) * dim];
                    for j in i..dim {
                        out[j] += di * d[j];
                    }
                }
            }
            acc
        })
        .collect();
    let mut cov = DMatrix::<f64>::zeros(dim, dim);
    for (blk, acc) in blocks.iter().enumerate() {
        for (r, row) in acc.chunks_exact(dim).enumerate() {
            let i = blk * COV_BLOCK + r;
            for j in i..dim {
                let c = row[j] / (n - 1) as f64;
                cov[(i, j)] = c;
                cov[(j, i)] = c;
            }
        }
    }

    let eigen = SymmetricEigen::new(cov);
    let mut order: Vec<usize> = (0..dim).collect();
    order.sort_by(|&a, &b| {
        eigen.eigenvalues[b]
            .total_cmp(&eigen.eigenvalues[a])
            .then(a.cmp(&b))
    });
    let values: Vec<f64> = order.iter().map(|&c| eigen.eigenvalues[c]).collect();
    // components[c * dim + i]: component c (in sorted order), coordinate i.
    let mut components = vec![0f64; k * dim];
    for (c, comp) in components.chunks_exact_mut(dim).enumerate() {
        let col = eigen.eigenvectors.column(order[c]);
        let mut arg = 0;
        for i in 1..dim {
            if col[i].abs() > col[arg].abs() {
                arg = i;
            }
        }
        let sign = if col[arg] < 0.0 { -1.0 } else { 1.0 };
        for (v, &e) in comp.iter_mut().zip(col.iter()) {
            *v = sign * e;
        }
    }

    let mut projected = vec![0f64; n * k];
    projected
        .par_chunks_mut(k)
        .zip(centred.par_chunks(dim))
        .for_each(|(out, d)| {
            for (o, comp) in out.iter_mut().zip(components.chunks_exact(dim)) {
                let mut dot = 0f64;
                for (a, b) in d.iter().zip(comp) {
                    dot += a * b;
                }
                *o = dot;
            }
        });
    (projected, values)
}
