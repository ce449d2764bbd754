//! The SVG plots: size against n per family on a log scale — trees against DAGs, naive and raw
//! against simplified, with SymPy's tree and DAG and SymEngine's tree when peer figures are
//! present.

use crate::error::ReportError;
use crate::families::Family;
use crate::format::big_f64;
use crate::report::ReportData;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// The file name of a family's plot.
///
/// ```
/// assert_eq!(symdiff_swell::plot_file_name(symdiff_swell::Family::Logistic), "swell_logistic.svg");
/// ```
pub fn file_name(family: Family) -> String {
    format!("swell_{}.svg", family.name())
}

/// Lines of symdiff's own figures (the peers' come after them).
const SYMDIFF_SERIES: usize = 6;

/// One line of a plot.
struct Series {
    label: &'static str,
    color: RGBColor,
    dashed: bool,
    points: Vec<(f64, f64)>,
}

/// The SVG plot of a family, or `None` when it has fewer than two measured members.
///
/// ```
/// use symdiff_swell::{measure, plot_render, Family, ReportData};
/// let rows = (1..=3).map(|k| measure(&Family::Logistic.member(k).unwrap(), &Default::default())).collect();
/// let data = ReportData { rows, ..ReportData::empty() };
/// let svg = plot_render(&data, Family::Logistic, "out".as_ref()).unwrap().unwrap();
/// assert!(svg.starts_with("<svg"));
/// assert!(plot_render(&data, Family::ProdSin, "out".as_ref()).unwrap().is_none());
/// ```
///
/// # Errors
/// [`ReportError::Plot`] (naming the plot's path under `dir`) if plotters fails.
pub fn render(
    data: &ReportData,
    family: Family,
    dir: &Path,
) -> Result<Option<String>, ReportError> {
    let rows = data.family_rows(family);
    if rows.len() < 2 {
        return Ok(None);
    }
    let mut series = vec![
        Series {
            label: "input DAG",
            color: RGBColor(120, 120, 120),
            dashed: true,
            points: rows
                .iter()
                .map(|r| (r.n as f64, r.input.dag as f64))
                .collect(),
        },
        Series {
            label: "naive derivative, tree",
            color: RGBColor(230, 120, 0),
            dashed: false,
            points: rows
                .iter()
                .map(|r| (r.n as f64, big_f64(&r.naive.tree)))
                .collect(),
        },
        Series {
            label: "raw derivative, tree",
            color: RGBColor(200, 30, 30),
            dashed: false,
            points: rows
                .iter()
                .filter_map(|r| Some((r.n as f64, big_f64(&r.raw.as_ref()?.tree))))
                .collect(),
        },
        Series {
            label: "raw derivative, DAG",
            color: RGBColor(200, 30, 30),
            dashed: true,
            points: rows
                .iter()
                .filter_map(|r| Some((r.n as f64, r.raw.as_ref()?.dag as f64)))
                .collect(),
        },
        Series {
            label: "simplified derivative, tree",
            color: RGBColor(30, 60, 200),
            dashed: false,
            points: rows
                .iter()
                .filter_map(|r| Some((r.n as f64, big_f64(&r.simplified.as_ref()?.tree))))
                .collect(),
        },
        Series {
            label: "simplified derivative, DAG",
            color: RGBColor(30, 60, 200),
            dashed: true,
            points: rows
                .iter()
                .filter_map(|r| Some((r.n as f64, r.simplified.as_ref()?.dag as f64)))
                .collect(),
        },
    ];
    if let Some(peers) = &data.peers {
        let peer_points = |engine: &str, dag: bool| -> Vec<(f64, f64)> {
            rows.iter()
                .filter_map(|r| {
                    let p = peers
                        .get(engine, "diff", family.name(), r.n)
                        .filter(|p| p.is_ok())?;
                    Some((r.n as f64, (if dag { p.dag } else { p.tree })? as f64))
                })
                .collect()
        };
        series.push(Series {
            label: "SymPy diff, tree",
            color: RGBColor(20, 150, 60),
            dashed: false,
            points: peer_points("sympy", false),
        });
        series.push(Series {
            label: "SymPy diff, DAG",
            color: RGBColor(20, 150, 60),
            dashed: true,
            points: peer_points("sympy", true),
        });
        series.push(Series {
            label: "SymEngine diff, tree",
            color: RGBColor(150, 60, 170),
            dashed: false,
            points: peer_points("symengine", false),
        });
    }
    // Peers first, so that symdiff's lines are drawn on top where they coincide.
    let peer_series = series.len() - SYMDIFF_SERIES;
    series.rotate_right(peer_series);
    series.retain(|s| !s.points.is_empty());

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        draw(&root, family, &series).map_err(|message| ReportError::Plot {
            path: dir.join(file_name(family)),
            message,
        })?;
    }
    Ok(Some(svg))
}

/// The bottom of the y axis (every size is at least 1).
const Y_MIN: f64 = 0.8;

/// The top of the y axis: half as many decades again above the data, so that the legend in the
/// upper left corner never hides a line.
fn y_top(y_max: f64) -> f64 {
    let decades = (y_max / Y_MIN).log10();
    y_max * 10f64.powf(0.55 * decades + 0.4)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    family: Family,
    series: &[Series],
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let all = series.iter().flat_map(|s| s.points.iter());
    let (x_min, x_max) = all
        .clone()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
    let y_max = all
        .map(|p| p.1)
        .filter(|y| y.is_finite())
        .fold(1.0, f64::max);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("{}: {}", family.name(), family.formula()),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(
            x_min..x_max.max(x_min + 1.0),
            (Y_MIN..y_top(y_max)).log_scale(),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("n")
        .y_desc("nodes (log scale)")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| {
            if *y >= 1e5 {
                format!("{y:.0e}")
            } else {
                format!("{y:.0}")
            }
        })
        .draw()
        .map_err(err)?;
    for s in series {
        let color = s.color;
        let style = ShapeStyle::from(&color).stroke_width(2);
        let points = s.points.iter().copied().filter(|p| p.1.is_finite());
        let drawn = if s.dashed {
            chart
                .draw_series(DashedLineSeries::new(points.clone(), 6, 4, style))
                .map_err(err)?
        } else {
            chart
                .draw_series(LineSeries::new(points.clone(), style))
                .map_err(err)?
        };
        let dashed = s.dashed;
        drawn.label(s.label).legend(move |(x, y)| {
            let style = color.stroke_width(2);
            let (first, second) = if dashed {
                ((0, 7), (13, 20))
            } else {
                ((0, 10), (10, 20))
            };
            EmptyElement::at((x, y))
                + PathElement::new(vec![(first.0, 0), (first.1, 0)], style)
                + PathElement::new(vec![(second.0, 0), (second.1, 0)], style)
        });
        chart
            .draw_series(points.map(|p| Circle::new(p, 2, color.filled())))
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}
