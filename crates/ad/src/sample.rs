//! Random points in an expression's domain: rejection sampling in boxes that widen until enough
//! valid points are found.
//!
//! The caller says what "valid" means (for [`check`](crate::check()): the function and its
//! forward-mode gradient are finite). Candidates are drawn uniformly from the box `[-r, r]ⁿ`
//! for `r = 1, 2, 4, 10, 30, 100, 1000` in turn, a fixed number of attempts per radius, so domains
//! such as `ln(x)` (half the box), `asin(x)` (the unit box), `sqrt(x - 5)` (only from `r = 10`)
//! and `1/(x - y)` (almost everywhere) are all found, and an empty domain (`ln(-x^2 - 1)`)
//! ends after a bounded number of attempts with no points.

use serde::Serialize;

/// A small, fast, deterministic random number generator (SplitMix64): the same seed gives the
/// same points on every platform and in every version of this crate.
///
/// ```
/// use symdiff_ad::Rng;
/// let (mut a, mut b) = (Rng::new(7), Rng::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// let u = a.uniform();
/// assert!((0.0..1.0).contains(&u));
/// ```
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    ///
    /// ```
    /// assert_eq!(symdiff_ad::Rng::new(1).next_u64(), symdiff_ad::Rng::new(1).next_u64());
    /// ```
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    ///
    /// ```
    /// let mut r = symdiff_ad::Rng::new(0);
    /// assert_ne!(r.next_u64(), r.next_u64());
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` (53 random bits).
    ///
    /// ```
    /// let mut r = symdiff_ad::Rng::new(5);
    /// assert!((0..100).map(|_| r.uniform()).all(|u| (0.0..1.0).contains(&u)));
    /// ```
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    ///
    /// ```
    /// let x = symdiff_ad::Rng::new(1).range(-2.0, 2.0);
    /// assert!((-2.0..2.0).contains(&x));
    /// ```
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }
}

/// Rejection sampling in widening boxes.
///
/// ```
/// use symdiff_ad::Sampler;
/// // points with x > 5 (as for sqrt(x - 5)): none in [-1,1], [-2,2] or [-4,4]
/// let s = Sampler::new(42).sample(1, 10, |p| p[0] > 5.0);
/// assert_eq!(s.points.len(), 10);
/// assert!(s.points.iter().all(|p| p[0] > 5.0));
/// assert_eq!(s.radius, 10.0);
/// // an empty domain ends with no points
/// let none = Sampler::new(42).sample(2, 10, |p| p[0] * p[0] + p[1] * p[1] < -1.0);
/// assert!(none.points.is_empty());
/// ```
#[derive(Debug, Clone, Serialize)]
pub struct Sampler {
    /// The seed.
    pub seed: u64,
    /// The half-widths of the boxes, tried in order.
    pub radii: Vec<f64>,
    /// Attempts per wanted point at each radius.
    pub attempts_per_point: usize,
}

/// The points found.
///
/// ```
/// let s = symdiff_ad::Sampler::new(0).sample(2, 3, |p| p[0] > 0.0);
/// assert_eq!(s.points.len(), 3);
/// assert!(s.attempts >= 3 && s.radius == 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// The valid points (each a value per dimension).
    pub points: Vec<Vec<f64>>,
    /// Candidates drawn.
    pub attempts: usize,
    /// The largest radius used.
    pub radius: f64,
}

impl Sampler {
    /// The default schedule: radii 1, 2, 4, 10, 30, 100, 1000; 20 attempts per wanted point
    /// at each radius.
    ///
    /// ```
    /// let s = symdiff_ad::Sampler::new(9);
    /// assert_eq!((s.seed, s.radii[0], s.attempts_per_point), (9, 1.0, 20));
    /// ```
    pub fn new(seed: u64) -> Self {
        Sampler {
            seed,
            radii: vec![1.0, 2.0, 4.0, 10.0, 30.0, 100.0, 1000.0],
            attempts_per_point: 20,
        }
    }

    /// Up to `count` points of `dims` coordinates for which `valid` holds.
    ///
    /// ```
    /// // the unit disc
    /// let s = symdiff_ad::Sampler::new(1).sample(2, 10, |p| p[0] * p[0] + p[1] * p[1] < 1.0);
    /// assert_eq!(s.points.len(), 10);
    /// ```
    pub fn sample(
        &self,
        dims: usize,
        count: usize,
        mut valid: impl FnMut(&[f64]) -> bool,
    ) -> Sample {
        let mut rng = Rng::new(self.seed);
        let mut sample = Sample {
            points: Vec::with_capacity(count),
            attempts: 0,
            radius: 0.0,
        };
        let budget = self.attempts_per_point.max(1) * count.max(1);
        for &r in &self.radii {
            sample.radius = r;
            for _ in 0..budget {
                if sample.points.len() >= count {
                    return sample;
                }
                sample.attempts += 1;
                let candidate: Vec<f64> = (0..dims).map(|_| rng.range(-r, r)).collect();
                if valid(&candidate) {
                    sample.points.push(candidate);
                }
            }
            if sample.points.len() >= count {
                return sample;
            }
        }
        sample
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_points() {
        let a = Sampler::new(3).sample(3, 5, |_| true);
        let b = Sampler::new(3).sample(3, 5, |_| true);
        assert_eq!(a, b);
        assert_ne!(a, Sampler::new(4).sample(3, 5, |_| true));
        assert_eq!(a.radius, 1.0);
    }

    #[test]
    fn narrow_domains_are_found() {
        // acos(x^2 + y^2 - 1) needs x^2 + y^2 <= 2
        let s = Sampler::new(1).sample(2, 20, |p| (p[0] * p[0] + p[1] * p[1] - 1.0).abs() <= 1.0);
        assert_eq!(s.points.len(), 20);
    }
}
