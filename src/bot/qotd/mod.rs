//! The question of the day in Discord: the scheduler that posts each guild's question at its
//! local time and reveals the previous one, the answers members give in a post's thread (scored
//! like interview answers, through the queue), and the reveal. The decisions — when, which
//! question, who ranks best — are the pure `crate::qotd`; this module does the I/O.

mod answers;
mod post;
mod reveal;
mod schedule;

pub use answers::{is_again_button, on_again_button, on_message, on_scored, submit_answer};
pub use post::{post_for_day, Posted};
pub use reveal::reveal;
pub use schedule::{run, tick, Tick};
