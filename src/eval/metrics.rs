//! How far a scorer's grades agree with human ones: Pearson and Spearman correlation, RMSE,
//! quadratic weighted kappa, and a calibration table by human grade.

use std::collections::BTreeMap;

use serde::Serialize;

/// How a scorer's grades compare with the human grades.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub n: usize,
    /// Pearson correlation (0 when undefined).
    pub pearson: f64,
    /// Spearman rank correlation, ties given their mean rank (0 when undefined).
    pub spearman: f64,
    /// Root-mean-square error on the human scale.
    pub rmse: f64,
    /// Quadratic weighted kappa over the integer grades 0..=scale (0 when undefined).
    pub qwk: f64,
    /// One row per human grade present, ascending.
    pub calibration: Vec<CalibrationRow>,
}

/// The scorer's grades for the answers humans gave one grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRow {
    /// The grade bucket: the human score rounded to the nearest integer.
    pub human_score: i64,
    pub n: usize,
    pub mean_predicted: f64,
    /// Mean of |predicted − human| (the unrounded human score).
    pub mean_abs_error: f64,
}

/// Compares `(predicted, human)` pairs, both already on the human scale `0..=scale`.
pub fn metrics(pairs: &[(f64, f64)], scale: u32) -> Agreement {
    let (predicted, human): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    Agreement {
        n: pairs.len(),
        pearson: pearson(&predicted, &human),
        spearman: pearson(&average_ranks(&predicted), &average_ranks(&human)),
        rmse: rmse(pairs),
        qwk: qwk(pairs, scale),
        calibration: calibration(pairs),
    }
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn is_constant(xs: &[f64]) -> bool {
    xs.windows(2).all(|w| w[0] == w[1])
}

/// Pearson's r; 0 when it is undefined (fewer than two pairs, or a constant side).
fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    if xs.len() != ys.len() || xs.len() < 2 || is_constant(xs) || is_constant(ys) {
        return 0.0;
    }
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    if r.is_finite() {
        r.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// 1-based ranks; tied values all get the mean of the ranks they span.
fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; xs.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && xs[order[end]] == xs[order[start]] {
            end += 1;
        }
        // Sorted positions start..end hold ranks start+1..=end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

fn rmse(pairs: &[(f64, f64)]) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let squares: Vec<f64> = pairs.iter().map(|(p, h)| (p - h) * (p - h)).collect();
    mean(&squares).sqrt()
}

/// A score as a QWK category: rounded to the nearest integer, clamped to 0..=scale.
fn category(x: f64, scale: u32) -> f64 {
    if x.is_nan() {
        return 0.0;
    }
    x.round().clamp(0.0, f64::from(scale))
}

/// Quadratic weighted kappa, `1 − Σ w_ij O_ij / Σ w_ij E_ij` with `w_ij = (i−j)²/(k−1)²` and
/// `E_ij = hist_h(i) · hist_p(j) / n`. The weight's constant factor cancels, and summing the
/// weights over the confusion matrices reduces to sums over the ratings:
/// `Σ w O ∝ Σ_a (h_a − p_a)²` and `Σ w E ∝ (1/n) Σ_a Σ_b (h_a − p_b)² = n·(var_h + var_p +
/// (mean_h − mean_p)²)` (population variances), so no k×k matrix is needed whatever the scale.
/// 0 when undefined: no pairs, or both raters giving one and the same grade throughout.
fn qwk(pairs: &[(f64, f64)], scale: u32) -> f64 {
    if pairs.is_empty() || scale == 0 {
        return 0.0;
    }
    let p: Vec<f64> = pairs.iter().map(|&(p, _)| category(p, scale)).collect();
    let h: Vec<f64> = pairs.iter().map(|&(_, h)| category(h, scale)).collect();
    let squares: Vec<f64> = p.iter().zip(&h).map(|(a, b)| (a - b) * (a - b)).collect();
    let observed = mean(&squares);
    let (mp, mh) = (mean(&p), mean(&h));
    let var = |xs: &[f64], m: f64| mean(&xs.iter().map(|x| (x - m) * (x - m)).collect::<Vec<_>>());
    let expected = var(&p, mp) + var(&h, mh) + (mp - mh) * (mp - mh);
    if expected <= 0.0 {
        return 0.0;
    }
    1.0 - observed / expected
}

fn calibration(pairs: &[(f64, f64)]) -> Vec<CalibrationRow> {
    let mut buckets: BTreeMap<i64, (usize, f64, f64)> = BTreeMap::new();
    for &(p, h) in pairs {
        let bucket = buckets.entry(h.round() as i64).or_default();
        bucket.0 += 1;
        bucket.1 += p;
        bucket.2 += (p - h).abs();
    }
    buckets
        .into_iter()
        .map(|(grade, (n, sum_p, sum_err))| CalibrationRow {
            human_score: grade,
            n,
            mean_predicted: sum_p / n as f64,
            mean_abs_error: sum_err / n as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pearson_of_linear_data_is_one_and_of_reversed_minus_one() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let up: Vec<f64> = xs.iter().map(|x| 2.0 * x + 1.0).collect();
        let down: Vec<f64> = xs.iter().rev().copied().collect();
        assert!(close(pearson(&xs, &up), 1.0));
        assert!(close(pearson(&xs, &down), -1.0));
    }

    #[test]
    fn degenerate_correlations_are_zero_not_nan() {
        assert_eq!(pearson(&[1.0], &[2.0]), 0.0);
        assert_eq!(pearson(&[0.1, 0.1, 0.1], &[1.0, 2.0, 3.0]), 0.0);
        let m = metrics(&[], 5);
        assert_eq!(
            (m.n, m.pearson, m.spearman, m.rmse, m.qwk),
            (0, 0.0, 0.0, 0.0, 0.0)
        );
        assert!(m.calibration.is_empty());
    }

    #[test]
    fn spearman_gives_ties_their_mean_rank() {
        // x = [1, 2, 2, 3] ranks to [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] ranks to [1, 3, 2, 4].
        // Both rank means are 2.5; deviations dx = [-1.5, 0, 0, 1.5], dy = [-1.5, .5, -.5, 1.5].
        // Σdx·dy = 4.5, Σdx² = 4.5, Σdy² = 5, so ρ = 4.5 / √22.5 = √0.9 ≈ 0.948683.
        assert_eq!(
            average_ranks(&[1.0, 2.0, 2.0, 3.0]),
            vec![1.0, 2.5, 2.5, 4.0]
        );
        let pairs = [(1.0, 1.0), (2.0, 3.0), (2.0, 2.0), (3.0, 4.0)];
        assert!(close(metrics(&pairs, 5).spearman, 0.9_f64.sqrt()));
    }

    #[test]
    fn rmse_by_hand() {
        // Errors 1, −2, 0: mean square 5/3, RMSE √(5/3) ≈ 1.290994.
        let pairs = [(1.0, 0.0), (2.0, 4.0), (3.0, 3.0)];
        assert!(close(metrics(&pairs, 5).rmse, (5.0_f64 / 3.0).sqrt()));
    }

    #[test]
    fn qwk_is_one_for_perfect_agreement() {
        let pairs = [(0.0, 0.0), (1.2, 1.0), (2.0, 2.0), (4.6, 5.0)];
        assert!(close(metrics(&pairs, 5).qwk, 1.0));
    }

    #[test]
    fn qwk_of_a_small_confusion_matrix_by_hand() {
        // Scale 2, so k = 3 and w_ij = (i−j)²/4. (human, predicted) = (0,0), (1,2), (2,2), (2,1).
        // O (rows human, cols predicted): [[1,0,0],[0,0,1],[0,1,1]].
        // Marginals: human [1,1,2], predicted [1,1,2]; n = 4, E_ij = h_i·p_j/4:
        //   E = [[.25,.25,.5],[.25,.25,.5],[.5,.5,1]].
        // Σ w·O = ¼·O₁₂ + ¼·O₂₁ = ½.
        // Σ w·E = ¼(E₀₁+E₁₀) + 1(E₀₂+E₂₀) + ¼(E₁₂+E₂₁) = ⅛ + 1 + ¼ = 11/8.
        // κ = 1 − (½)/(11/8) = 1 − 4/11 = 7/11 ≈ 0.636364.
        let pairs = [(0.0, 0.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)];
        assert!(close(qwk(&pairs, 2), 7.0 / 11.0));
        assert!(close(qwk(&pairs, 2), matrix_qwk(&pairs, 2)));
    }

    #[test]
    fn qwk_is_negative_for_reversed_ratings() {
        // Reversed 0,1,2: Σ w·O = 1 + 0 + 1 = 2, every E_ij = ⅓ so Σ w·E = ⅓·(4·¼ + 2·1) = 1.
        let pairs = [(2.0, 0.0), (1.0, 1.0), (0.0, 2.0)];
        assert!(close(qwk(&pairs, 2), -1.0));
        let pairs = [(5.0, 0.0), (4.0, 1.0), (3.0, 2.0), (1.0, 4.0), (0.0, 5.0)];
        assert!(qwk(&pairs, 5) < 0.0);
    }

    /// The textbook k×k form, to check the closed form against.
    fn matrix_qwk(pairs: &[(f64, f64)], scale: u32) -> f64 {
        let k = scale as usize + 1;
        let mut o = vec![vec![0.0; k]; k];
        let (mut hh, mut hp) = (vec![0.0; k], vec![0.0; k]);
        for &(p, h) in pairs {
            let (i, j) = (category(h, scale) as usize, category(p, scale) as usize);
            o[i][j] += 1.0;
            hh[i] += 1.0;
            hp[j] += 1.0;
        }
        let n = pairs.len() as f64;
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..k {
            for j in 0..k {
                let w = (i as f64 - j as f64).powi(2) / ((k - 1) * (k - 1)) as f64;
                num += w * o[i][j];
                den += w * hh[i] * hp[j] / n;
            }
        }
        1.0 - num / den
    }

    #[test]
    fn qwk_closed_form_matches_the_matrix_form() {
        let pairs: Vec<(f64, f64)> = (0..40)
            .map(|i| (f64::from((i * 7 + 3) % 11) * 0.55, f64::from((i * 5) % 6)))
            .collect();
        assert!(close(qwk(&pairs, 5), matrix_qwk(&pairs, 5)));
        assert!(close(qwk(&pairs, 10), matrix_qwk(&pairs, 10)));
    }

    #[test]
    fn calibration_buckets_by_rounded_human_grade() {
        let pairs = [(2.0, 1.0), (4.0, 1.2), (3.0, 3.0), (0.5, 0.4)];
        let rows = metrics(&pairs, 5).calibration;
        let grades: Vec<(i64, usize)> = rows.iter().map(|r| (r.human_score, r.n)).collect();
        assert_eq!(grades, vec![(0, 1), (1, 2), (3, 1)]);
        assert!(close(rows[1].mean_predicted, 3.0));
        assert!(close(rows[1].mean_abs_error, (1.0 + 2.8) / 2.0));
    }
}
