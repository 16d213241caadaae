// The TIMESTAMP of an SRP password claim: `EEE MMM d HH:mm:ss UTC yyyy`, e.g. `Tue Mar 5 09:07:02 UTC 2024`.
// Cognito refuses a zero-padded day and a weekday that does not match the date, so we do too.

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FORMAT = new RegExp(
  `^(${WEEKDAYS.join('|')}) (${MONTHS.join('|')}) ([1-9]|[12]\\d|3[01]) ([01]\\d|2[0-3]):([0-5]\\d):([0-5]\\d) UTC (\\d{4})$`,
);

/** TIMESTAMP format check: `EEE MMM d HH:mm:ss UTC yyyy` (English, day NOT zero-padded, weekday must match the date), within `toleranceMs` of `nowMs`. */
export function isAcceptableTimestamp(timestamp: string, nowMs: number, toleranceMs: number): boolean {
  const ms = parseTimestamp(timestamp);
  return ms !== undefined && Math.abs(ms - nowMs) <= toleranceMs;
}

/** Epoch milliseconds, or undefined unless the text is a real date written exactly as clients write it. */
function parseTimestamp(timestamp: string): number | undefined {
  const match = FORMAT.exec(timestamp);
  if (!match) return undefined;
  const [, weekday, monthName, day, hours, minutes, seconds, year] = match;
  const month = MONTHS.indexOf(monthName);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(Number(year), month, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), 0);
  // A rolled-over date (Feb 30 → Mar 2) changes the day of the month.
  const real = date.getUTCDate() === Number(day) && WEEKDAYS[date.getUTCDay()] === weekday;
  return real ? date.getTime() : undefined;
}
