/**
 * The warnings a result earns at the end, whatever its verdict: a limit nearly reached, a
 * certificate close to expiry.
 */
import type { CheckResult } from '#lib/result/types.ts';

/** Warns at 80% of any limit, and about certificates close to expiry. */
export function closingWarnings(result: CheckResult, certWarningDays: number): void {
  const tls = result.tls;
  if (tls?.daysLeft != null && tls.daysLeft >= 0 && tls.daysLeft <= certWarningDays) {
    result.warnings.push(
      `the server's certificate expires in ${tls.daysLeft} days (${tls.notAfter ?? '?'})`,
    );
  } else if (tls?.earliestNotAfter && tls.notAfter && tls.earliestNotAfter < tls.notAfter) {
    const days = Math.floor((Date.parse(tls.earliestNotAfter) - Date.now()) / 86_400_000);
    if (days >= 0 && days <= certWarningDays) {
      result.warnings.push(
        `a certificate in the server's chain expires in ${days} days (${tls.earliestNotAfter})`,
      );
    }
  }
  const { limits } = result;
  if (result.reason === 'body_too_large' || result.reason === 'sample_limit_exceeded') return;
  const near = (used: number, limit: number): boolean =>
    limit > 0 && used >= 0.8 * limit && used <= limit;
  if (near(limits.bodyBytes, limits.bodySizeLimit)) {
    result.warnings.push(
      `the body is ${limits.bodyBytes} bytes, ${Math.round((100 * limits.bodyBytes) / limits.bodySizeLimit)}% of body_size_limit (${limits.bodySizeLimit})`,
    );
  }
  if (near(limits.samples, limits.sampleLimit)) {
    result.warnings.push(
      `${limits.samples} samples, ${Math.round((100 * limits.samples) / limits.sampleLimit)}% of sample_limit (${limits.sampleLimit})`,
    );
  }
  if (result.ok && near(limits.durationMs, limits.scrapeTimeoutMs)) {
    result.warnings.push(
      `the scrape took ${Math.round(limits.durationMs)} ms, ${Math.round((100 * limits.durationMs) / limits.scrapeTimeoutMs)}% of scrape_timeout`,
    );
  }
}
