//! How a design round moves on: from stage to stage, into the deep dive's probes (the bank's
//! follow-ups whose points the earlier stages covered least), and into its stage report.

use super::design::{self, Stage, StageReport, StageTurn};
use super::{Action, Interview, Turn};
use crate::scoring::Assessment;

impl Interview {
    /// After a stage's turn (`skipped`: the candidate skipped it), the next stage's question,
    /// or the report after the wrap-up.
    pub(super) fn next_stage(&mut self, done: Turn, skipped: bool) -> Action {
        let next = match design::stage_of(done) {
            Some(Stage::Clarify) => Stage::Estimate,
            Some(Stage::Estimate) => Stage::Design,
            Some(Stage::Design) => Stage::DeepDive,
            Some(Stage::DeepDive) if !skipped => Stage::DeepDive,
            Some(Stage::DeepDive) => Stage::WrapUp,
            Some(Stage::WrapUp) | None => return self.next_main(0),
        };
        if next == Stage::DeepDive {
            if self.follow_ups_asked.len() < design::DEEP_DIVES {
                if let Some(index) = self.weakest_probe() {
                    self.follow_ups_asked.push(index);
                    return self.ask(0, Turn::FollowUp { index });
                }
            }
            return self.ask(
                0,
                Turn::Stage {
                    stage: Stage::WrapUp,
                },
            );
        }
        self.ask(0, Turn::Stage { stage: next })
    }

    /// The latest assessment of a stage's answer.
    pub(super) fn stage_assessment(&self, stage: Stage) -> Option<&Assessment> {
        self.records
            .iter()
            .rev()
            .find(|r| r.turn == Turn::Stage { stage })
            .and_then(|r| r.assessment.as_ref())
    }

    /// The unasked follow-up whose probed points the stages so far covered least. A point no
    /// stage has graded yet (the wrap-up's) counts as half missed.
    fn weakest_probe(&self) -> Option<usize> {
        let q = self.plan.first()?;
        let graded: Vec<&Assessment> = self
            .records
            .iter()
            .filter(|r| matches!(r.turn, Turn::Stage { .. }))
            .filter_map(|r| r.assessment.as_ref())
            .collect();
        let coverage = |id: &str| {
            let seen = graded.iter().any(|a| {
                a.covered
                    .iter()
                    .chain(&a.partial)
                    .chain(&a.missed)
                    .any(|p| p.id == id)
            });
            if seen {
                graded.iter().map(|a| a.coverage_of(id)).fold(0.0, f32::max)
            } else {
                0.5
            }
        };
        q.follow_ups
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.follow_ups_asked.contains(i))
            .map(|(i, f)| (i, f.probes.iter().map(|p| 1.0 - coverage(p)).sum::<f32>()))
            .fold(None, |best: Option<(usize, f32)>, (i, gap)| match best {
                Some((_, g)) if g >= gap => best,
                _ => Some((i, gap)),
            })
            .map(|(i, _)| i)
    }

    /// A design round's stages side by side, for its report; none for other interviews.
    pub(super) fn stage_reports(&self) -> Vec<StageReport> {
        let (Some(round), Some(q)) = (self.settings.design, self.plan.first()) else {
            return Vec::new();
        };
        let turns: Vec<StageTurn<'_>> = self
            .records
            .iter()
            .filter_map(|r| {
                Some(StageTurn {
                    stage: design::stage_of(r.turn)?,
                    assessment: r.assessment.as_ref(),
                    skipped: r.skipped,
                })
            })
            .collect();
        design::stage_reports(q, &turns, &round)
    }
}
