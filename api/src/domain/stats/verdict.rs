//! The verdict of an indicator against its territory's target: met, not met, or too few
//! data (the figure is suppressed or has no denominator).

/// Which side of the target is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// A rate or a share: met when the value reaches the target.
    Higher,
    /// A delay (a median of days): met when the value stays at or under the target.
    Lower,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    TooFewData,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::TooFewData => "too_few_data",
        }
    }
}

/// `value` is the published figure (`None` when suppressed); no target, no verdict.
pub fn verdict(value: Option<f64>, target: Option<f64>, better: Better) -> Option<Verdict> {
    let target = target?;
    Some(match value {
        None => Verdict::TooFewData,
        Some(v) if v.is_nan() => Verdict::TooFewData,
        Some(v) => {
            let met = match better {
                Better::Higher => v >= target,
                Better::Lower => v <= target,
            };
            if met {
                Verdict::Met
            } else {
                Verdict::NotMet
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_of_the_verdict() {
        use Better::*;
        use Verdict::*;
        let cases = [
            (Some(0.8), Some(0.7), Higher, Some(Met)),
            (Some(0.7), Some(0.7), Higher, Some(Met)),
            (Some(0.69), Some(0.7), Higher, Some(NotMet)),
            (None, Some(0.7), Higher, Some(TooFewData)),
            (Some(f64::NAN), Some(0.7), Higher, Some(TooFewData)),
            (Some(0.8), None, Higher, None),
            (None, None, Higher, None),
            (Some(7.0), Some(7.0), Lower, Some(Met)),
            (Some(6.5), Some(7.0), Lower, Some(Met)),
            (Some(7.5), Some(7.0), Lower, Some(NotMet)),
            (None, Some(7.0), Lower, Some(TooFewData)),
            (Some(3.0), None, Lower, None),
        ];
        for (value, target, better, expect) in cases {
            assert_eq!(
                verdict(value, target, better),
                expect,
                "{value:?} {target:?} {better:?}"
            );
        }
        assert_eq!(
            [Met.code(), NotMet.code(), TooFewData.code()],
            ["met", "not_met", "too_few_data"]
        );
    }
}
