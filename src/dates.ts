// Dates as articles print them ("20 June 1997", "Sept. 13, 2023", "in 1961"), read into sortable
// ISO strings. Only what is written is read: a missing year is never guessed here.

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const MONTH = String.raw`(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;

/** A date found in text: `year` always, `month` and `day` when written. */
export interface DateMention {
  year?: number;
  month: number | undefined;
  day: number | undefined;
  /** Where in the text it was written. */
  index: number;
  length: number;
}

const PATTERNS: Array<{ re: RegExp; read: (m: RegExpExecArray) => Omit<DateMention, 'index' | 'length'> }> = [
  // 1997-06-20
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, read: (m) => ({ year: +m[1]!, month: +m[2]!, day: +m[3]! }) },
  // 20 June 1997 / 20 June
  { re: new RegExp(String.raw`\b(\d{1,2}) ${MONTH}(?:,? (\d{4}))?\b`, 'g'), read: (m) => ({ day: +m[1]!, month: monthOf(m[2]!), year: year(m[3]) }) },
  // June 20, 1997 / Sept. 13, 2023 / June 16
  { re: new RegExp(String.raw`\b${MONTH} (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b`, 'g'), read: (m) => ({ month: monthOf(m[1]!), day: +m[2]!, year: year(m[3]) }) },
  // June 1997
  { re: new RegExp(String.raw`\b${MONTH} (\d{4})\b`, 'g'), read: (m) => ({ month: monthOf(m[1]!), day: undefined, year: +m[2]! }) },
  // a year on its own, 1800–2099, not part of a longer number or an amount ("1961", not "$1961" or "1961.5")
  { re: /(?<![\d$£€.,-])\b(1[89]\d\d|20\d\d)\b(?![\d.,]\d|%)/g, read: (m) => ({ year: +m[1]!, month: undefined, day: undefined }) },
];

function monthOf(name: string): number {
  return MONTHS[name.toLowerCase().replace('.', '')] ?? 0;
}

function year(text: string | undefined): number | undefined {
  return text === undefined ? undefined : +text;
}

/** Every date written in `text`; where two readings overlap, the longer (more precise) wins. */
export function findDates(text: string): DateMention[] {
  const found: DateMention[] = [];
  for (const { re, read } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const index = m.index;
      const length = m[0].length;
      if (found.some((f) => index < f.index + f.length && f.index < index + length)) continue;
      const d = read(m as RegExpExecArray);
      if (d.month !== undefined && (d.month < 1 || d.month > 12)) continue;
      if (d.day !== undefined && (d.day < 1 || d.day > 31)) continue;
      found.push({ ...d, index, length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

export function toIso(d: { year: number; month?: number | undefined; day?: number | undefined }): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d.month === undefined) return String(d.year);
  if (d.day === undefined) return `${d.year}-${pad(d.month)}`;
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

/** "1997-06-20" → "20 June 1997"; "1997-06" → "June 1997"; "1961" stays. */
export function formatIso(iso: string): string {
  const [y, m, d] = iso.split('-');
  if (!m) return y ?? iso;
  const month = MONTH_NAMES[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/** Whether the day exists in that month of that year (no 30 February). */
function isRealDay(year: number, month: number, day: number): boolean {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/**
 * Reads a date given in front matter or a dateline: the whole text must be one date, with a year
 * and, when given, a real month and day. Undefined otherwise: "2024-13-45" is not "2024".
 */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim().replace(/[.,;:]+$/, '');
  // "1997-06", as stored for a month: in running text it would as often be a span ("2001-02").
  const month = /^(\d{4})-(\d{2})$/.exec(trimmed);
  if (month) return Number(month[2]) >= 1 && Number(month[2]) <= 12 ? trimmed : undefined;
  const found = findDates(trimmed);
  const d = found[0];
  if (found.length !== 1 || d!.index !== 0 || d!.length !== trimmed.length || d!.year === undefined) return undefined;
  if (d!.month !== undefined && d!.day !== undefined && !isRealDay(d!.year, d!.month, d!.day)) return undefined;
  return toIso({ year: d!.year, month: d!.month, day: d!.day });
}
