//! Score charts as PNG bytes: an interview's scores turn by turn now, a member's progress over
//! time later (the bot's `/history`). The font is compiled in and the bitmap is encoded here, so
//! charts render in a slim container with no system fonts, browser or image tools.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use crate::interview::{Report, Turn};
use crate::scoring::Scores;

const FONT: &str = "sans-serif";
const WIDTH: u32 = 800;
const HEIGHT: u32 = 400;
const LEGEND_WIDTH: u32 = 150;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("nothing to chart: no scored answers")]
    Empty,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG failed")]
    Encode(#[from] png::EncodingError),
}

/// One point on the x axis: a label and the scores there.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePoint {
    pub label: String,
    pub scores: Scores,
}

/// The interview's scored turns, in order ("Q1", "Q1 follow-up", …).
pub fn interview_chart(report: &Report) -> Result<Vec<u8>, ChartError> {
    let mut main = 0;
    let points: Vec<ScorePoint> = report
        .results
        .iter()
        .filter_map(|r| {
            if r.turn == Turn::Main {
                main += 1;
            }
            let label = match r.turn {
                Turn::Main => format!("Q{main}"),
                _ => format!("Q{main}+"),
            };
            r.scores.map(|scores| ScorePoint { label, scores })
        })
        .collect();
    render_scores("Scores by answer", &points)
}

fn register_embedded_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        let bytes: &'static [u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
        register_font(FONT, FontStyle::Normal, bytes).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A line per dimension and a bold line for the overall score, 0–10, as a PNG.
pub fn render_scores(title: &str, points: &[ScorePoint]) -> Result<Vec<u8>, ChartError> {
    if points.is_empty() {
        return Err(ChartError::Empty);
    }
    register_embedded_font()?;
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(title, points, &mut rgb)?;
    encode_png(&rgb)
}

type Series = (&'static str, RGBColor, u32, fn(&Scores) -> f32);

const SERIES: [Series; 4] = [
    ("technical", RGBColor(66, 133, 244), 2, |s| s.technical),
    ("trade-offs", RGBColor(251, 140, 0), 2, |s| s.tradeoffs),
    ("communication", RGBColor(67, 160, 71), 2, |s| {
        s.communication
    }),
    ("overall", RGBColor(33, 33, 33), 4, |s| s.overall),
];

fn draw(title: &str, points: &[ScorePoint], rgb: &mut [u8]) -> Result<(), ChartError> {
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    // The legend gets its own column so it never hides a line.
    let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
    draw_legend(&side)?;
    let last = (points.len() - 1).max(1) as f32;
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, (FONT, 22))
        .margin(16)
        .x_label_area_size(32)
        .y_label_area_size(36)
        .build_cartesian_2d(-0.3f32..last + 0.3, 0f32..10.5f32)
        .map_err(draw_err)?;
    let label_at = |x: &f32| {
        let i = x.round();
        let exact = (x - i).abs() < 0.01 && i >= 0.0;
        points
            .get(i as usize)
            .filter(|_| exact)
            .map_or_else(String::new, |p| p.label.clone())
    };
    chart
        .configure_mesh()
        .x_labels(points.len().max(2))
        .x_label_formatter(&label_at)
        .y_labels(6)
        .label_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    for (name, color, width, value) in SERIES {
        let line = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f32, value(&p.scores)));
        chart
            .draw_series(LineSeries::new(line, color.stroke_width(width)))
            .map_err(draw_err)?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], color.stroke_width(width))
            });
        let dots = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f32, value(&p.scores)));
        chart
            .draw_series(dots.map(|xy| Circle::new(xy, width + 1, color.filled())))
            .map_err(draw_err)?;
    }
    root.present().map_err(draw_err)
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), ChartError> {
    for (row, (name, color, width, _)) in SERIES.iter().enumerate() {
        let y = 70 + 26 * row as i32;
        area.draw(&PathElement::new(
            [(8, y), (30, y)],
            color.stroke_width(*width),
        ))
        .map_err(draw_err)?;
        area.draw(&Text::new(*name, (38, y - 8), (FONT, 14)))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(label: &str, overall: f32) -> ScorePoint {
        ScorePoint {
            label: label.into(),
            scores: Scores {
                technical: overall,
                tradeoffs: overall / 2.0,
                communication: 7.0,
                overall,
            },
        }
    }

    fn decode(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(png_bytes).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info, buf)
    }

    #[test]
    fn a_chart_is_a_png_of_the_expected_size_with_something_drawn() {
        let png_bytes = render_scores("Scores", &[point("Q1", 3.0), point("Q2", 8.5)]).unwrap();
        let (info, pixels) = decode(&png_bytes);
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let dark = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|&c| c < 80))
            .count();
        // Text, axes and the overall line are dark; a blank or font-less chart has far fewer.
        assert!(dark > 2_000, "only {dark} dark pixels");
    }

    #[test]
    fn a_single_answer_still_charts() {
        assert!(render_scores("Scores", &[point("Q1", 5.0)]).is_ok());
    }

    #[test]
    fn nothing_to_chart_is_an_error_not_an_empty_picture() {
        assert!(matches!(
            render_scores("Scores", &[]),
            Err(ChartError::Empty)
        ));
    }
}
