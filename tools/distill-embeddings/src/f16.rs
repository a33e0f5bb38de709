//! f64 → IEEE 754 binary16, rounded once, to nearest, ties to even.
//!
//! `half::f16::from_f64` is not used because it is neither CPU-independent nor
//! correctly rounded (half 2.7): on x86-64 CPUs with F16C (detected at run time) it
//! converts through f32 (`f as f32`, then the F16C instruction), rounding twice; without
//! F16C (and in `from_f64_const`) it drops the low 32 bits of the f64 mantissa before
//! rounding, which loses the sticky bits. Both misround values that lie just above or
//! below a tie between two halves, and they do so differently.

use half::f16;

/// Rounds `v` to the nearest binary16 value (ties to even); overflow gives ±∞,
/// NaN stays NaN (quiet), and every f64 subnormal rounds to ±0.
pub fn from_f64(v: f64) -> f16 {
    let bits = v.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let man = bits & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        return f16::from_bits(if man == 0 {
            sign | 0x7c00
        } else {
            sign | 0x7e00
        });
    }
    if exp == 0 {
        // Zero or an f64 subnormal (< 2^-1022), far below half the smallest half.
        return f16::from_bits(sign);
    }
    let e = exp - 1023;
    if e > 15 {
        return f16::from_bits(sign | 0x7c00);
    }
    // v = m · 2^(e − 52); the result's unit in the last place is 2^(max(e, −14) − 10).
    let m = man | (1u64 << 52);
    let shift = (42 + (e.max(-14) - e)) as u32;
    if shift >= 64 {
        return f16::from_bits(sign);
    }
    let mut q = m >> shift;
    let rem = m & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    if rem > half || (rem == half && q & 1 == 1) {
        q += 1;
    }
    // Subnormal results: q ≤ 2^10 is the encoding itself (2^10 being the smallest
    // normal). Normal results: exponent field e + 15 and mantissa q − 2^10, i.e.
    // ((e + 14) << 10) + q, which also carries a rounded-up q = 2^11 into the
    // exponent and a carry out of the largest finite value into +∞ (0x7c00).
    let enc = if e < -14 {
        q
    } else {
        (((e + 14) as u64) << 10) + q
    };
    f16::from_bits(sign | enc as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: f64) -> u16 {
        from_f64(v).to_bits()
    }

    #[test]
    fn exact_and_special_values() {
        assert_eq!(h(0.0), 0);
        assert_eq!(h(-0.0), 0x8000);
        assert_eq!(h(1.0), 0x3c00);
        assert_eq!(h(-2.0), 0xc000);
        assert_eq!(h(65504.0), 0x7bff);
        assert_eq!(h(2f64.powi(-14)), 0x0400);
        assert_eq!(h(2f64.powi(-24)), 0x0001);
        assert_eq!(h(f64::INFINITY), 0x7c00);
        assert_eq!(h(f64::NEG_INFINITY), 0xfc00);
        assert!(from_f64(f64::NAN).is_nan());
        assert_eq!(h(f64::MIN_POSITIVE / 2.0), 0);
    }

    #[test]
    fn rounds_to_nearest_even() {
        let ulp = 2f64.powi(-10);
        // Ties go to the even neighbour.
        assert_eq!(h(1.0 + ulp / 2.0), 0x3c00);
        assert_eq!(h(1.0 + 1.5 * ulp), 0x3c02);
        // Just above a tie: up, although f32 would round it onto the tie.
        assert_eq!(h(1.0 + ulp / 2.0 + 2f64.powi(-40)), 0x3c01);
        // Just below a tie: down.
        assert_eq!(h(1.0 + 1.5 * ulp - 2f64.powi(-40)), 0x3c01);
        // Carry into the exponent, and overflow.
        assert_eq!(h(2.0 - ulp / 4.0), 0x4000);
        assert_eq!(h(65519.99), 0x7bff);
        assert_eq!(h(65520.0), 0x7c00);
        assert_eq!(h(-65520.0), 0xfc00);
        // Subnormals: the smallest, half of it (a tie, to 0) and a bit more.
        let tiny = 2f64.powi(-24);
        assert_eq!(h(tiny * 0.5), 0);
        assert_eq!(h(tiny * 0.5000001), 1);
        assert_eq!(h(tiny * 1.5), 2);
        assert_eq!(h(tiny * 2.5), 2);
        assert_eq!(h(-tiny * 0.49), 0x8000);
        // Largest subnormal rounding up to the smallest normal.
        assert_eq!(h(2f64.powi(-14) - tiny / 4.0), 0x0400);
    }

    #[test]
    fn agrees_with_half_on_f32_inputs() {
        // For an f32 input there is only one rounding, so half's conversion from f32
        // (hardware or software) is exact RNE; ours must give the same bits.
        let mut bits = 0u32;
        loop {
            let x = f32::from_bits(bits);
            if !x.is_nan() {
                assert_eq!(h(f64::from(x)), f16::from_f32(x).to_bits(), "{x:e}");
                assert_eq!(h(f64::from(x)), f16::from_f32_const(x).to_bits(), "{x:e}");
            }
            match bits.checked_add(4099) {
                Some(b) => bits = b,
                None => break,
            }
        }
    }
}
