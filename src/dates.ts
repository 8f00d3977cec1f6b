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

/** The mention as ISO, when it has a year and, if it gives a day, a real one. */
function isoOf(d: DateMention | undefined): string | undefined {
  if (d?.year === undefined) return undefined;
  if (d.month !== undefined && d.day !== undefined && !isRealDay(d.year, d.month, d.day)) return undefined;
  return toIso({ year: d.year, month: d.month, day: d.day });
}

/**
 * Reads a date given in front matter or typed by a member: the whole text must be one date, with
 * a year and, when given, a real month and day. Undefined otherwise: "2024-13-45" is not "2024".
 */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim().replace(/[.,;:]+$/, '');
  // "1997-06", as stored for a month: in running text it would as often be a span ("2001-02").
  const month = /^(\d{4})-(\d{2})$/.exec(trimmed);
  if (month) return Number(month[2]) >= 1 && Number(month[2]) <= 12 ? trimmed : undefined;
  const found = findDates(trimmed);
  return found.length === 1 && found[0]!.index === 0 && found[0]!.length === trimmed.length ? isoOf(found[0]) : undefined;
}

/**
 * The date a short printed line gives ("Published June 20, 2024", "Wed 13 Sep 2023 08.41 BST", a
 * dateline's "20 June 1997"): its first date with a year, when that date is real.
 */
export function dateInLine(text: string): string | undefined {
  return isoOf(findDates(text).find((d) => d.year !== undefined));
}

/** A date written relative to the article's own ("three days ago", "last month", "on Monday"), resolved. */
export interface RelativeDate {
  /** ISO, as precise as the words are: a day, a month or a year. */
  iso: string;
  /** Where the words are in the text, and the words themselves. */
  index: number;
  length: number;
  words: string;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const COUNT = String.raw`(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;

type Day = { year: number; month: number; day: number };

function addDays(d: Day, days: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function addMonths(d: Day, months: number): { year: number; month: number } {
  const m = d.year * 12 + (d.month - 1) + months;
  return { year: Math.floor(m / 12), month: (m % 12) + 1 };
}

/**
 * The relative dates in `text`, resolved against `published` (the article's ISO date). Each is
 * only as precise as the article's date allows: "three days ago" needs its day, "last month" its
 * month, "earlier this year" its year. Without a date nothing is resolved, so nothing is guessed.
 */
export function findRelativeDates(text: string, published: string | undefined): RelativeDate[] {
  if (!published) return [];
  const [y, m, d] = published.split('-').map(Number);
  const base: Day | undefined = y && m && d ? { year: y, month: m, day: d } : undefined;
  const out: RelativeDate[] = [];
  const push = (match: RegExpExecArray, iso: string | undefined) => {
    if (iso && !out.some((o) => match.index < o.index + o.length && o.index < match.index + match[0].length)) {
      out.push({ iso, index: match.index, length: match[0].length, words: match[0] });
    }
  };
  const count = (word: string) => NUMBER_WORDS[word.toLowerCase()] ?? Number(word);
  const rules: Array<{ re: RegExp; resolve: (m: RegExpExecArray) => string | undefined }> = [
    // "three days ago", "two weeks ago", "a month ago", "ten years ago"
    {
      re: new RegExp(String.raw`\b${COUNT} (day|week|month|year)s? ago\b`, 'gi'),
      resolve: (x) => {
        const n = count(x[1]!);
        const unit = x[2]!.toLowerCase();
        if (unit === 'year') return y ? String(y - n) : undefined;
        if (unit === 'month') return m ? toIso(addMonths({ year: y!, month: m, day: 1 }, -n)) : undefined;
        return base ? toIso(addDays(base, unit === 'week' ? -7 * n : -n)) : undefined;
      },
    },
    { re: /\b(yesterday|today|tomorrow)\b/gi, resolve: (x) => (base ? toIso(addDays(base, { yesterday: -1, today: 0, tomorrow: 1 }[x[1]!.toLowerCase() as 'today'])) : undefined) },
    { re: /\b(last|this|next) month\b/gi, resolve: (x) => (m ? toIso(addMonths({ year: y!, month: m, day: 1 }, { last: -1, this: 0, next: 1 }[x[1]!.toLowerCase() as 'this'])) : undefined) },
    { re: /\b(?:(last|next) year|(?:earlier|later) this year|this year)\b/gi, resolve: (x) => (y ? String(y + ({ last: -1, next: 1 }[x[1]?.toLowerCase() as 'last'] ?? 0)) : undefined) },
    // "on Monday", "last Friday", "next Tuesday": the nearest such day before the article's date
    // (or after it, for "next"); a day named alone is left alone, it may be a day of any week.
    {
      re: /\b(on|last|next|this past) (Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/gi,
      resolve: (x) => {
        if (!base) return undefined;
        const which = x[1]!.toLowerCase();
        const wanted = WEEKDAYS.indexOf(x[2]!.toLowerCase());
        const today = new Date(Date.UTC(base.year, base.month - 1, base.day)).getUTCDay();
        if (which === 'next') return toIso(addDays(base, (wanted - today + 7) % 7 || 7));
        const back = (today - wanted + 7) % 7;
        return toIso(addDays(base, which === 'on' ? -back : -(back || 7)));
      },
    },
  ];
  for (const { re, resolve } of rules) for (const match of text.matchAll(re)) push(match as RegExpExecArray, resolve(match as RegExpExecArray));
  return out.sort((a, b) => a.index - b.index);
}
