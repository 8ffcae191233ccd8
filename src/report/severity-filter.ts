// `run --severity critical,high` (as Trivy and Prowler do it): every check still runs (a check's
// result may feed another's), but only the checks of the given severities are reported, summarised
// and gate the exit code; the report records the filter.
import { SEVERITIES, summarize, type Report, type Severity } from '../model.js';

export function filterBySeverity(report: Report, severities: readonly Severity[]): Report {
  const keep = new Set(severities);
  const results = report.results.filter((r) => keep.has(r.severity));
  return Object.freeze({
    ...report,
    results,
    summary: summarize(results),
    filter: { severity: SEVERITIES.filter((s) => keep.has(s)), notReported: report.results.length - results.length },
  });
}
