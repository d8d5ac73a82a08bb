//! Horizontal bars drawn as SVG on the server (labels stay HTML, readable on a phone): no chart
//! library, no script.

pub struct Bar {
    pub label: String,
    pub value_text: String,
    /// Bar length in SVG units (0..=WIDTH).
    pub length: i64,
    /// CSS class: `ok`, `warn` (80% and more) or `over` (beyond 100%).
    pub tone: &'static str,
}

pub struct BarChart {
    pub bars: Vec<Bar>,
}

pub const WIDTH: i64 = 400;

/// One bar per (label, share in percent, text); 100% fills the width, more is capped there.
pub fn percent_bars(rows: impl IntoIterator<Item = (String, i64, String)>) -> BarChart {
    let bars: Vec<Bar> = rows
        .into_iter()
        .map(|(label, percent, value_text)| Bar {
            label,
            value_text,
            length: (percent.clamp(0, 100) * WIDTH / 100).max(if percent > 0 { 2 } else { 0 }),
            tone: match percent {
                p if p > 100 => "over",
                p if p >= 80 => "warn",
                _ => "ok",
            },
        })
        .collect();
    BarChart { bars }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_width_and_warn_near_capacity() {
        let chart = percent_bars([
            ("A".into(), 50, "".into()),
            ("B".into(), 90, "".into()),
            ("C".into(), 150, "".into()),
        ]);
        assert_eq!(chart.bars[0].length, WIDTH / 2);
        assert_eq!((chart.bars[1].tone, chart.bars[2].tone), ("warn", "over"));
        assert_eq!(chart.bars[2].length, WIDTH);
    }
}
