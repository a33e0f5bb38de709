//! Meaning evidence: how close in meaning two pieces of text are, from a small static embedding
//! model bundled with the binary (no network, no Python, microseconds per sentence).
//!
//! A static model keeps one vector per word piece; a sentence's vector is the mean of its pieces'
//! vectors. That credits paraphrase ("keeps a sorted copy of the column" is near "an index is a
//! sorted structure") but measures topic, not truth: a confident misconception in the right
//! words is as close as a correct claim. The offline scorer uses it as one kind of evidence
//! beside phrase matching, and says so in its feedback.

mod encoder;

pub use encoder::{Encoder, MeaningError, Vector};
